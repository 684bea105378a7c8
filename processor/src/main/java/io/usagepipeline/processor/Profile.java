package io.usagepipeline.processor;

import java.time.Duration;

/**
 * How the processor runs the same billing rules. {@link #LIVE} serves the continuous feed: every poll's
 * observations and OPEN totals at once, commits every 100 ms (the exactly-once default), so a total follows its poll
 * within a second, and keeps no record cache: at a poll an hour per target it would have nothing to coalesce
 * (measured with one, it only sped up a catch-up, at some heap: README, "Performance"). {@link #REPLAY} recomputes
 * history, where only the billing records count: no observations and no OPEN totals, commits every 10 s, a record
 * cache over the stores whose values are updated coalesces the many updates a series gets between commits, so that
 * far fewer records reach the changelogs (and, in a replay without changelogs, RocksDB), and one stream thread per
 * core works through the raw topic's partitions at once (a catch-up is a batch job: it should have the machine).
 */
public enum Profile {
    LIVE(Duration.ofMillis(100), Duration.ofSeconds(10), 0, true),
    REPLAY(Duration.ofSeconds(10), Duration.ofMinutes(1), 64L * 1024 * 1024, false);

    private final Duration commitInterval;
    private final Duration transactionTimeout;
    private final long cacheBytes;
    private final boolean perPollOutputs;

    Profile(final Duration commitInterval, final Duration transactionTimeout, final long cacheBytes,
            final boolean perPollOutputs) {
        this.commitInterval = commitInterval;
        this.transactionTimeout = transactionTimeout;
        this.cacheBytes = cacheBytes;
        this.perPollOutputs = perPollOutputs;
    }

    /**
     * How long a transaction may stay open before the broker aborts it: well above the commit interval, since a
     * transaction spans one (Streams' exactly-once default of 10 s, kept live, would fence a replay's producer
     * mid-commit).
     */
    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    /** How often the processor commits: what its outputs may lag behind its input. */
    public Duration commitInterval() {
        return commitInterval;
    }

    /** The Streams record cache over the stores whose values are updated, in bytes; 0 for none. */
    public long cacheBytes() {
        return cacheBytes;
    }

    /**
     * Stream threads per instance unless {@code processor.streamThreads} says otherwise: one live, where a poll an
     * hour per target leaves a thread idle, and one per core in a replay.
     */
    public int streamThreads() {
        return this == LIVE ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** Whether each poll's observations and OPEN totals are published (the live feed), or only billing records. */
    public boolean perPollOutputs() {
        return perPollOutputs;
    }
}
