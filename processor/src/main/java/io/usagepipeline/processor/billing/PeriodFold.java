package io.usagepipeline.processor.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The running figures of one series over one period, folded over its observations in time order (DESIGN §4).
 *
 * <p>The level is a step function: after an observation at t it holds until the next one, for at most
 * {@code maxGap}; beyond that it is unknown. Each step is integrated once, when the next observation (or the
 * period's close) ends it, so an in-order update costs O(1) however long the history. The same fold, fed from the
 * observation store, recomputes a period after out-of-order or late data: one code path for both.
 *
 * @param knownMillis milliseconds of the period in which the level is known
 * @param unitMillis  the integral of the level over those milliseconds, in unit-milliseconds (exact)
 * @param levelAt     the instant of the current level (the last observation folded in, possibly before the period)
 * @param integratedTo how far the current level's step has been added, so no part of it is added twice
 */
public record PeriodFold(
        BillingPeriod period,
        long knownMillis,
        BigDecimal unitMillis,
        BigDecimal peakUnits,
        long peakCount,
        long samples,
        Instant firstObservedAt,
        Instant lastObservedAt,
        Instant levelAt,
        BigDecimal levelUnits,
        long levelCount,
        Instant integratedTo,
        BigDecimal lastUnits,
        long lastCount) {

    private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(Duration.ofHours(1).toMillis());
    /** Figures are computed straight to the contract's precision, so each is the exact value rounded once. */
    private static final int SCALE = 6;

    public static PeriodFold empty(final BillingPeriod period) {
        return new PeriodFold(period, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, null, null, null, null, 0, null,
                BigDecimal.ZERO, 0);
    }

    /** Folds in the next observation; {@code at} must not be before the last one folded in. */
    public PeriodFold apply(final Instant at, final BigDecimal units, final long count, final Duration maxGap) {
        if (levelAt != null && at.isBefore(levelAt)) {
            throw new IllegalArgumentException("observation at " + at + " is before the level at " + levelAt
                    + "; out-of-order data must be recomputed from the store");
        }
        final PeriodFold integrated = integrateTo(at, maxGap);
        if (!period.contains(at)) {
            // carry-in before the period, or the first observation after it: it only bounds a step
            return integrated.withLevel(at, units, count);
        }
        return new PeriodFold(period, integrated.knownMillis, integrated.unitMillis, integrated.peakUnits.max(units),
                Math.max(integrated.peakCount, count), integrated.samples + 1,
                integrated.firstObservedAt == null ? at : integrated.firstObservedAt, at, at, units, count, at, units,
                count);
    }

    /** Integrates the last step up to the period's end: the fold of a closed period. */
    public PeriodFold close(final Duration maxGap) {
        return integrateTo(period.end(), maxGap);
    }

    /**
     * The same fold over a period with the same start and another end ({@link CalendarCheck}): what it integrated
     * stays, every step it added lying before both ends (unless {@link #reachedBeyond} the earlier).
     */
    PeriodFold over(final BillingPeriod realigned) {
        return new PeriodFold(realigned, knownMillis, unitMillis, peakUnits, peakCount, samples, firstObservedAt,
                lastObservedAt, levelAt, levelUnits, levelCount, integratedTo, lastUnits, lastCount);
    }

    /** Whether an observation at or after {@code end} was folded in (then a step was cut at the period's end). */
    boolean reachedBeyond(final Instant end) {
        return levelAt != null && !levelAt.isBefore(end);
    }

    /** The figures as of now: for an open period, up to the last observation (no extrapolation). */
    public Figures figures() {
        final BigDecimal unitHours = unitMillis.divide(MILLIS_PER_HOUR, SCALE, RoundingMode.HALF_EVEN);
        final BigDecimal avgUnits = knownMillis == 0 ? BigDecimal.ZERO
                : unitMillis.divide(BigDecimal.valueOf(knownMillis), SCALE, RoundingMode.HALF_EVEN);
        final BigDecimal coverage = BigDecimal.valueOf(knownMillis)
                .divide(BigDecimal.valueOf(period.lengthMillis()), SCALE, RoundingMode.HALF_EVEN);
        return new Figures(peakUnits, avgUnits, unitHours, lastUnits, peakCount, lastCount, samples, coverage,
                firstObservedAt, lastObservedAt);
    }

    /**
     * Adds the step of the current level from where it starts to {@code until}, cut at maxGap and the period. In
     * epoch millis, as the sum is: this runs for every observation and open period, and the {@code Instant}s that
     * {@code levelAt.plus(maxGap)} made on its way were a twentieth of a replay's stream thread (JFR).
     */
    private PeriodFold integrateTo(final Instant until, final Duration maxGap) {
        if (levelAt == null) {
            return this;
        }
        final long from = Math.max(integratedTo.toEpochMilli(), period.start().toEpochMilli());
        final long to = Math.min(Math.min(until.toEpochMilli(), levelAt.toEpochMilli() + maxGap.toMillis()),
                period.end().toEpochMilli());
        if (to <= from) {
            return this;
        }
        final long millis = to - from;
        return new PeriodFold(period, knownMillis + millis,
                unitMillis.add(levelUnits.multiply(BigDecimal.valueOf(millis))), peakUnits.max(levelUnits),
                Math.max(peakCount, levelCount), samples, firstObservedAt, lastObservedAt, levelAt, levelUnits,
                levelCount, Instant.ofEpochMilli(to), levelUnits, levelCount);
    }

    private PeriodFold withLevel(final Instant at, final BigDecimal units, final long count) {
        return new PeriodFold(period, knownMillis, unitMillis, peakUnits, peakCount, samples, firstObservedAt,
                lastObservedAt, at, units, count, at, lastUnits, lastCount);
    }
}
