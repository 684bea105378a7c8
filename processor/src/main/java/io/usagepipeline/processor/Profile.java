package io.usagepipeline.processor;

import java.time.Duration;

/**
 * How the processor runs the same billing rules. {@link #LIVE} serves the continuous feed: every poll's
 * observations and OPEN totals at once, commits every 100 ms (the exactly-once default), so a total follows its poll
 * within a second. {@link #REPLAY} recomputes history, where only the billing records count: no observations and no
 * OPEN totals, commits every 10 s, and one stream thread per core works through the raw topic's partitions at once (a
 * catch-up is a batch job: it should have the machine). Under both, the stores whose values are updated hold them as
 * objects between commits ({@code StoreOptions}).
 */
public enum Profile {
    LIVE(Duration.ofMillis(100), Duration.ofSeconds(10), true, Duration.ofMillis(100)),
    REPLAY(Duration.ofSeconds(10), Duration.ofMinutes(1), false, Duration.ofMillis(10));

    private final Duration commitInterval;
    private final Duration transactionTimeout;
    private final boolean perPollOutputs;
    private final Duration pollTime;

    Profile(final Duration commitInterval, final Duration transactionTimeout, final boolean perPollOutputs,
            final Duration pollTime) {
        this.commitInterval = commitInterval;
        this.transactionTimeout = transactionTimeout;
        this.perPollOutputs = perPollOutputs;
        this.pollTime = pollTime;
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

    /**
     * How long a stream thread waits for input before it looks again at what else it has to do: Kafka Streams' 100 ms
     * live; 10 ms in a replay, which is short enough that its start (joining the group, opening its tasks between
     * waits) and its close (noticed only after a whole wait) showed in the bench: 0.1 s each of a 4 s stage. A
     * thread with input never waits.
     */
    public Duration pollTime() {
        return pollTime;
    }
}
