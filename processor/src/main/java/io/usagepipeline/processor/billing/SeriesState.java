package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the processor remembers of a series: who it belongs to, its latest level, and its open periods (its DAY and
 * its MONTH; a third around midnight while yesterday waits out the grace). The open periods live here, not in a store
 * of their own, because every observation folds into all of them: one read and one write of the series per
 * observation instead of one for the series and one for each period.
 *
 * @param open the open periods, by granularity then start (the order of their period keys: DAY before MONTH, an
 *             earlier day before a later one)
 */
public record SeriesState(String tenantId, String sourceId, SourceKind sourceKind, String licenseType, String unit,
                          Instant lastObservedAt, BigDecimal lastUnits, long lastCount, List<PeriodState> open) {

    /** The order of period keys within a series; periods the same under it have one key, and are one period. */
    private static final Comparator<BillingPeriod> KEY_ORDER = Comparator
            .comparing((BillingPeriod period) -> period.granularity().name()).thenComparing(BillingPeriod::start);

    public SeriesState {
        open = List.copyOf(open);
    }

    static SeriesState first(final Observation observation) {
        return new SeriesState(observation.tenantId(), observation.sourceId(), observation.sourceKind(),
                observation.licenseType(), observation.unit(), null, null, 0, List.of());
    }

    SeriesState observed(final Observation observation) {
        return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, observation.observedAt(),
                observation.units(), observation.count(), open);
    }

    /** The open period {@code period} of this series, or null when it is not open. */
    PeriodState openPeriod(final BillingPeriod period) {
        for (final PeriodState state : open) {
            if (state.period().sameKey(period)) {
                return state;
            }
        }
        return null;
    }

    /**
     * The open period of {@code granularity} in {@code zone} that holds {@code at}, or null: the period that
     * {@link BillingPeriod#containing} gives when it is open, found without the calendar (per observation, that was
     * a twenty-fifth of a replay's stream thread).
     */
    PeriodState openHolding(final Instant at, final Granularity granularity, final String zone) {
        for (final PeriodState state : open) {
            final BillingPeriod period = state.period();
            if (period.granularity() == granularity && period.contains(at) && period.zone().equals(zone)) {
                return state;
            }
        }
        return null;
    }

    /** The same series with {@code period} open (in place of its previous state when it was open already). */
    SeriesState withOpen(final PeriodState period) {
        final List<PeriodState> periods = new ArrayList<>(open.size() + 1);
        boolean placed = false;
        for (final PeriodState state : open) {
            final int order = KEY_ORDER.compare(period.period(), state.period());
            if (!placed && order <= 0) {
                periods.add(period);
                placed = true;
            }
            if (order != 0) {
                periods.add(state);
            }
        }
        if (!placed) {
            periods.add(period);
        }
        return withPeriods(periods);
    }

    /**
     * The same series with each open period replaced by what {@code change} makes of it, which must keep its period:
     * every observation folds into all of them, and one pass builds one list where placing each in turn built one per
     * period.
     */
    SeriesState withEachOpen(final UnaryOperator<PeriodState> change) {
        final PeriodState[] periods = new PeriodState[open.size()];
        for (int i = 0; i < periods.length; i++) {
            periods[i] = change.apply(open.get(i));
            if (!periods[i].period().sameKey(open.get(i).period())) {
                throw new IllegalArgumentException("a change moved period " + open.get(i).period() + " to "
                        + periods[i].period());
            }
        }
        return withPeriods(List.of(periods));
    }

    /** The same series with {@code period} no longer open. */
    SeriesState withoutOpen(final BillingPeriod period) {
        return withPeriods(open.stream().filter(state -> !state.period().sameKey(period)).toList());
    }

    private SeriesState withPeriods(final List<PeriodState> periods) {
        return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, lastObservedAt, lastUnits, lastCount,
                periods);
    }
}
