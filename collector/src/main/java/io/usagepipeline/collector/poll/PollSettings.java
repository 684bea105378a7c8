package io.usagepipeline.collector.poll;

import java.time.Duration;

/**
 * How hard a poll tries.
 *
 * @param maxAttempts    attempts per request (data and token alike) before the poll fails
 * @param baseDelay      first backoff step; doubled per attempt, with full jitter
 * @param maxDelay       longest backoff step
 * @param requestTimeout how long one whole exchange may take, the body included
 * @param pollDeadline   how long one whole poll (every page, every retry) may take
 * @param maxPollBytes   the most a poll's pages may weigh together: more could not be published as one raw record
 *                       (the raw topic takes 16 MiB), so such a poll is FAILED as {@code TOO_LARGE}
 */
public record PollSettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration requestTimeout,
                           Duration pollDeadline, long maxPollBytes) {

    /** 16 MiB of the topic, less room for the envelope of the raw poll. */
    public static final long DEFAULT_MAX_POLL_BYTES = 15L * 1024 * 1024;

    public static final PollSettings DEFAULTS = new PollSettings(5, Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofMinutes(5), DEFAULT_MAX_POLL_BYTES);

    public PollSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (maxPollBytes < 1) {
            throw new IllegalArgumentException("maxPollBytes must be positive");
        }
    }
}
