package io.usagepipeline.events;

import java.util.Objects;

/**
 * Why a poll FAILED.
 *
 * @param kind       a stable machine-readable category, e.g. {@code HTTP}, {@code TIMEOUT}, {@code INCONSISTENT_PAGES}
 * @param httpStatus the last HTTP status seen, or null when the failure was not an HTTP answer
 * @param message    a human-readable explanation (never contains secrets)
 */
public record PollError(String kind, Integer httpStatus, String message) {
    public PollError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
