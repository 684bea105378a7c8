package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.http.AnswerTooLargeException;
import io.usagepipeline.collector.http.ProxyRefusedException;
import io.usagepipeline.events.Json;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an appliance until it answers, within bounded attempts and the poll's deadline. Connect errors, timeouts,
 * unreadable bodies, 429 and every 5xx (VSPC's 520 included) are retried after an exponential backoff with full
 * jitter, or after the delay the server asked for ({@code Retry-After}, VSPC's {@code retryAfter}). 400, 403, 404
 * and other 4xx are answers about the request itself and are not retried.
 */
final class Retrier {

    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    /** One attempt: an answer, or an I/O failure. */
    @FunctionalInterface
    interface Attempt {
        Answer call() throws IOException, InterruptedException;
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Clock clock;
    private final Random jitter;
    private final AtomicInteger retries = new AtomicInteger();

    Retrier(final int maxAttempts, final Duration baseDelay, final Duration maxDelay, final Clock clock,
            final Random jitter) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.clock = clock;
        this.jitter = jitter;
    }

    /** How many retries this retrier has made, for metrics. */
    int retries() {
        return retries.get();
    }

    /** The first non-retryable answer (2xx, 401 and 4xx alike), or a failure once attempts or time run out. */
    Answer call(final String what, final Attempt attempt, final Instant deadline)
            throws PollFailure, InterruptedException {
        PollFailure last = null;
        for (int n = 1; n <= maxAttempts; n++) {
            Duration wait;
            try {
                final Answer answer = attempt.call();
                final Answer result = retryable(answer.status()) ? null : parsed(answer);
                if (result != null) {
                    return result;
                }
                if (answer.ok() && ErrorBodies.isHtml(answer.body())) { // the same page next time
                    throw new PollFailure("MALFORMED_ANSWER", answer.status(), what + ": HTTP " + answer.status()
                            + " with " + ErrorBodies.htmlPage(answer.body()));
                }
                last = answer.status() == 429
                        ? new PollFailure("THROTTLED", 429, what + ": throttled (429) " + n + " times")
                        : new PollFailure(answer.ok() ? "MALFORMED_ANSWER" : "HTTP", answer.status(), what
                        + ": " + (answer.ok() ? "an unreadable body" : "HTTP " + answer.status() + " "
                        + ErrorBodies.describe(answer)));
                wait = requestedDelay(answer);
            } catch (final AnswerTooLargeException e) {
                throw new PollFailure("TOO_LARGE", null, what + ": " + e.getMessage()); // the same next time
            } catch (final ProxyRefusedException e) {
                throw new PollFailure("AUTH", 407, what + ": " + e.getMessage()); // the same next time
            } catch (final HttpTimeoutException e) {
                last = new PollFailure("TIMEOUT", null, what + ": " + e.getMessage());
                wait = null;
            } catch (final IOException e) {
                last = new PollFailure("CONNECTION", null, what + ": " + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
                wait = null;
            }
            if (n == maxAttempts) {
                break;
            }
            if (wait == null) {
                final long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, n - 1));
                wait = Duration.ofMillis(jitter.nextInt((int) Math.max(1, cap)) + 1);
            }
            if (clock.instant().plus(wait).isAfter(deadline)) {
                throw new PollFailure(last.kind(), last.toError().httpStatus(), last.getMessage()
                        + "; no time left for another attempt before the poll's deadline");
            }
            LOG.debug("{}: attempt {} failed ({}), retrying in {}", what, n, last.getMessage(), wait);
            retries.incrementAndGet();
            Thread.sleep(wait.toMillis()); // backing off is the point: the server asked for room
        }
        throw new PollFailure(last.kind(), last.toError().httpStatus(), last.getMessage() + " (gave up after "
                + maxAttempts + " attempts)");
    }

    /** A request's timeout: its own bound, or less when the poll's deadline is nearer. */
    static Duration within(final Duration timeout, final Instant deadline, final Clock clock) {
        final Duration left = Duration.between(clock.instant(), deadline);
        return left.compareTo(timeout) < 0 ? Duration.ofMillis(Math.max(1, left.toMillis())) : timeout;
    }

    static boolean retryable(final int status) {
        return status == 429 || status >= 500;
    }

    /**
     * The answer with its body parsed, once, for the caller; null when a 2xx body is not JSON, a broken answer worth
     * another try. Other answers (errors, 202) are returned as they are.
     */
    private static Answer parsed(final Answer answer) {
        if (!answer.ok() || answer.status() == 202) {
            return answer;
        }
        try {
            return answer.withJson(Json.readStrict(answer.body()));
        } catch (final IOException e) {
            return null;
        }
    }

    /**
     * Retry-After, in seconds or as an HTTP date (RFC 9110 allows either; a proxy in front of an appliance may send
     * the date), or VSPC's {@code errors[].retryAfter}; null when the answer asks for no delay.
     */
    private Duration requestedDelay(final Answer answer) {
        if (answer.retryAfter().isPresent()) {
            final String after = answer.retryAfter().get().trim();
            try {
                return Duration.ofSeconds(Long.parseLong(after));
            } catch (final NumberFormatException e) {
                try {
                    final Duration until = Duration.between(clock.instant(),
                            ZonedDateTime.parse(after, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                    return until.isNegative() ? Duration.ZERO : until;
                } catch (final DateTimeParseException unreadable) {
                    LOG.debug("{}: an unreadable Retry-After '{}', backing off instead", answer.status(), after);
                }
            }
        }
        try {
            final JsonNode body = Json.mapper().readTree(answer.body());
            final JsonNode after = body.path("errors").path(0).path("retryAfter");
            return after.isNumber() ? Duration.ofSeconds(after.asLong()) : null;
        } catch (final IOException e) {
            return null;
        }
    }
}
