package io.usagepipeline.collector.poll;

import java.time.Duration;

/**
 * How hard a poll tries.
 *
 * @param pageSize       items asked per page (VSPC allows at most 500)
 * @param maxAttempts    attempts per request before the poll fails
 * @param baseDelay      first backoff step; doubled per attempt, with full jitter
 * @param maxDelay       longest backoff step
 * @param requestTimeout how long one request may take
 * @param pollDeadline   how long one whole poll (every page, every retry) may take
 */
public record PollSettings(int pageSize, int maxAttempts, Duration baseDelay, Duration maxDelay,
                           Duration requestTimeout, Duration pollDeadline) {

    public static final PollSettings DEFAULTS = new PollSettings(500, 5, Duration.ofMillis(500),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public PollSettings {
        if (pageSize < 1 || pageSize > 500) {
            throw new IllegalArgumentException("pageSize must be between 1 and 500");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public PollSettings withPageSize(final int size) {
        return new PollSettings(size, maxAttempts, baseDelay, maxDelay, requestTimeout, pollDeadline);
    }
}
