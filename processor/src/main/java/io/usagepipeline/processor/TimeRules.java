package io.usagepipeline.processor;

import java.time.Duration;
import java.time.Instant;

/**
 * Every time boundary of DESIGN §4 in one place: what {@code maxGap}, {@code grace} and {@code horizon} mean for
 * when a poll is late, when a period closes, what is forgotten and how far back a replay reads. All are measured on
 * stream time, never the wall clock, so a replay decides exactly as the live processor did.
 */
public record TimeRules(Duration maxGap, Duration grace, Duration horizon) {

    /** The longest calendar period: a month's recomputation needs its whole history. */
    private static final Duration LONGEST_PERIOD = Duration.ofDays(31);

    /** A poll older than the horizon against stream time can change nothing: it goes to the DLQ. */
    public boolean late(final Instant polledAt, final Instant streamTime) {
        return polledAt.isBefore(streamTime.minus(horizon));
    }

    /** When a period closes: once stream time passes its end plus the grace for out-of-order polls. */
    public Instant dueAt(final Instant periodEnd) {
        return periodEnd.plus(grace);
    }

    public boolean due(final Instant periodEnd, final Instant streamTime) {
        return streamTime.isAfter(dueAt(periodEnd));
    }

    /** Closed periods that ended before this can no longer be restated, and are forgotten. */
    public Instant restatableFrom(final Instant streamTime) {
        return streamTime.minus(horizon);
    }

    /**
     * Observations before this are forgotten: recomputing the oldest restatable period needs a whole month of
     * history, the level carried into it (maxGap) and the polls that arrived within grace.
     */
    public Instant historyNeededFrom(final Instant streamTime) {
        return streamTime.minus(historyRetention());
    }

    /** How long an observation is kept: the history store's retention, against stream time. */
    public Duration historyRetention() {
        return horizon.plus(LONGEST_PERIOD).plus(maxGap).plus(grace);
    }

    /** How long a series that vanished from its target's snapshots stays a known zero. */
    public Duration removedSeriesMemory() {
        return horizon;
    }

    /** How long a pollId is remembered, so that a second copy of the poll is dropped. */
    public Duration duplicateMemory() {
        return horizon.plus(grace);
    }

    /**
     * How far back a recomputation of periods from {@code firstPeriodStart} on reads, so that it gives the figures of
     * a processor that saw the whole history: less maxGap (the level carried in), the horizon (a removed series is a
     * known zero for that long) and the grace (a duplicate of a slot is recognised for that long).
     */
    public Instant replayLookback(final Instant firstPeriodStart) {
        return firstPeriodStart.minus(maxGap).minus(horizon).minus(grace);
    }
}
