package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.TimeRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the DAY and MONTH periods of every series (DESIGN §4): folds each in-order observation into the open
 * periods it touches, recomputes periods from the history store when data arrives out of order or late, closes
 * periods once stream time passes their end plus grace, and restates closed periods whose figures changed.
 *
 * <p>Each observation costs a read and a write of its series, whose value holds its open periods, and a write of its
 * history; opening a period also looks for a closed one under its key, and a recomputation reads the history of one
 * period. Nothing scans: which periods are due is {@link SeriesStore}'s to answer from memory, and the history forgets
 * by retention.
 *
 * <p>Closing is driven by stream time inside record processing, not by wall-clock punctuation, so a replay of the
 * same input produces the same records in the same order.
 */
public final class PeriodAggregator {

    private static final List<Granularity> GRANULARITIES = List.of(Granularity.DAY, Granularity.MONTH);

    private final ProcessorConfig config;
    private final TimeRules rules;
    private final SeriesStore series;
    private final History history;
    /** The closed periods, by period key: what a restatement starts from. */
    private final KeyValueStore<String, PeriodState> periods;
    private final BillingOutput output;
    private final boolean openTotals;
    private final OpenTotalKeys openTotalKeys = new OpenTotalKeys();

    /** @param openTotals publish OPEN totals (the live feed); a replay needs the billing records only */
    public PeriodAggregator(final ProcessorConfig config, final SeriesStore series, final History history,
                            final KeyValueStore<String, PeriodState> periods, final BillingOutput output,
                            final boolean openTotals) {
        this.config = config;
        this.rules = config.timeRules();
        this.series = series;
        this.history = history;
        this.periods = periods;
        this.output = output;
        this.openTotals = openTotals;
    }

    /** Folds one observation into its series' periods. */
    public void accept(final Observation observation, final Instant streamTime) {
        final String seriesKey = observation.seriesKey();
        history.put(seriesKey, observation.observedAt(), new ObservedLevel(observation.units(), observation.count()));
        final SeriesState known = series.get(seriesKey);
        final SeriesState state = known == null ? SeriesState.first(observation) : known;
        if (state.lastObservedAt() == null || observation.observedAt().isAfter(state.lastObservedAt())) {
            foldInOrder(seriesKey, known, state, observation, streamTime);
        } else {
            // out of order, or late
            series.put(seriesKey, known, recomputeAround(seriesKey, state, observation.observedAt(), streamTime));
        }
    }

    /** Closes every period whose end plus grace stream time has passed: FINAL records, revision 1. */
    public void closeDue(final Instant streamTime) {
        for (final SeriesStore.Due due : series.dueBefore(streamTime)) {
            final SeriesState state = series.get(due.seriesKey());
            final PeriodState period = state.openPeriod(due.period());
            SeriesState next = state.withoutOpen(due.period());
            publishClosed(due.seriesKey(), due.periodKey(), period.withFold(period.fold().close(config.maxGap())),
                    next);
            next = openCarriedInto(due.seriesKey(), next, due.period(), streamTime);
            series.put(due.seriesKey(), state, next);
        }
    }

    /**
     * Gives the period after a closing one its record when no observation of its own opened it but a level is carried
     * into it (DESIGN §4): the level is known for part of it, and without its record the days of a month would not
     * add up to the month. Its fold comes from the history, which says whether anything is known in it at all.
     */
    private SeriesState openCarriedInto(final String seriesKey, final SeriesState state, final BillingPeriod closing,
                                        final Instant streamTime) {
        final BillingPeriod next = config.scheduleOf(state.tenantId()).next(closing);
        if (state.lastObservedAt() != null && state.openPeriod(next) == null
                && periods.get(Keys.periodKey(seriesKey, next.granularity(), next.start())) == null) {
            return recompute(seriesKey, state, next, streamTime);
        }
        return state;
    }

    /**
     * Forgets the series and closed periods no within-horizon data can change any more, so state stays bounded by
     * the horizon. (The history forgets by its retention.)
     */
    public void prune(final Instant streamTime) {
        final Instant restatable = rules.restatableFrom(streamTime);
        final Instant historyCutoff = rules.historyNeededFrom(streamTime);
        history.forgetLegacyBefore(historyCutoff);
        final List<String> staleSeries = new ArrayList<>();
        try (KeyValueIterator<String, SeriesState> it = series.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.open().isEmpty() && entry.value.lastObservedAt() != null
                        && entry.value.lastObservedAt().isBefore(historyCutoff)) {
                    staleSeries.add(entry.key);
                }
            });
        }
        staleSeries.forEach(seriesKey -> {
            series.delete(seriesKey);
            openTotalKeys.forget(seriesKey);
        });
        final List<String> stalePeriods = new ArrayList<>();
        try (KeyValueIterator<String, PeriodState> it = periods.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.period().end().isBefore(restatable)) {
                    stalePeriods.add(entry.key);
                }
            });
        }
        stalePeriods.forEach(periods::delete);
    }

    private void foldInOrder(final String seriesKey, final SeriesState known, final SeriesState before,
                             final Observation observation, final Instant streamTime) {
        final List<BillingPeriod> alreadyClosed = new ArrayList<>();
        SeriesState state = before.observed(observation);
        final ZoneSchedule calendar = config.scheduleOf(before.tenantId());
        final String zone = calendar.zoneAt(observation.observedAt()).getId();
        for (final Granularity granularity : GRANULARITIES) {
            if (state.openHolding(observation.observedAt(), granularity, zone) != null) {
                continue; // the usual observation: its periods are open
            }
            final BillingPeriod period = calendar.containing(observation.observedAt(), granularity);
            if (state.openPeriod(period) != null) {
                continue;
            }
            if (periods.get(Keys.periodKey(seriesKey, granularity, period.start())) != null) {
                // stream time (driven by other series of the partition) closed it already: a restatement
                alreadyClosed.add(period);
                continue;
            }
            PeriodFold fold = PeriodFold.empty(period);
            if (before.lastObservedAt() != null) {
                fold = fold.apply(before.lastObservedAt(), before.lastUnits(), before.lastCount(), config.maxGap());
            }
            state = state.withOpen(PeriodState.opened(fold));
        }
        final SeriesState observed = state;
        state = state.withEachOpen(period -> publishOpen(seriesKey, period.withFold(period.fold().apply(
                observation.observedAt(), observation.units(), observation.count(), config.maxGap())), observed));
        for (final BillingPeriod period : alreadyClosed) {
            state = recompute(seriesKey, state, period, streamTime);
        }
        series.put(seriesKey, known, state);
    }

    /**
     * Recomputes every period the level observed at {@code at} reaches: its own, and the next while maxGap lasts.
     * Returns the series with its open periods as they now are.
     */
    private SeriesState recomputeAround(final String seriesKey, final SeriesState state, final Instant at,
                                        final Instant streamTime) {
        SeriesState recomputed = state;
        final ZoneSchedule calendar = config.scheduleOf(state.tenantId());
        for (final Granularity granularity : GRANULARITIES) {
            BillingPeriod period = calendar.containing(at, granularity);
            while (period.start().isBefore(at.plus(config.maxGap())) && !period.start().isAfter(state.lastObservedAt())) {
                recomputed = recompute(seriesKey, recomputed, period, streamTime);
                period = calendar.next(period);
            }
        }
        return recomputed;
    }

    /**
     * Recomputes one period from the history: restates it when it is closed, closes it when it is due, and otherwise
     * keeps it open (opening it when the level is known in it). Returns the series with its open periods.
     */
    private SeriesState recompute(final String seriesKey, final SeriesState state, final BillingPeriod period,
                                  final Instant streamTime) {
        final String periodKey = Keys.periodKey(seriesKey, period.granularity(), period.start());
        final PeriodFold fold = foldFromHistory(seriesKey, period);
        final PeriodState open = state.openPeriod(period);
        if (open == null) {
            final PeriodState closed = periods.get(periodKey);
            if (closed != null) {
                publishClosed(seriesKey, periodKey, closed.withFold(fold.close(config.maxGap())), state);
                return state;
            }
            if (fold.close(config.maxGap()).knownMillis() == 0) {
                return state; // a period in which the level is never known has no record
            }
        }
        final PeriodState current = open != null ? open : PeriodState.opened(fold);
        if (rules.due(period.end(), streamTime)) {
            // never opened here (or opened and due now): close it straight away
            publishClosed(seriesKey, periodKey, current.withFold(fold.close(config.maxGap())), state);
            return state.withoutOpen(period);
        }
        return state.withOpen(publishOpen(seriesKey, current.withFold(fold), state));
    }

    /** The period's fold from the history: carry-in, its own observations, and the first one after it. */
    private PeriodFold foldFromHistory(final String seriesKey, final BillingPeriod period) {
        final PeriodFold[] fold = {PeriodFold.empty(period)};
        history.forEach(seriesKey, period.start().minus(config.maxGap()), period.end().plus(config.maxGap()),
                (at, level) -> fold[0] = fold[0].apply(at, level.units(), level.count(), config.maxGap()));
        return fold[0];
    }

    /**
     * Publishes an open period's OPEN total when its figures changed (live only: a replay's record comes when the
     * period closes); returns the period with what was published.
     */
    private PeriodState publishOpen(final String seriesKey, final PeriodState period, final SeriesState state) {
        if (!openTotals) {
            return period;
        }
        final Figures figures = period.fold().figures();
        if (figures.equals(period.published()) || period.published() == null && period.fold().samples() == 0
                && period.fold().knownMillis() == 0) {
            // unchanged, or a period known only by a level carried in, which an OPEN total (evaluated up to the
            // last observation, before the period) cannot show yet: its record comes when it closes
            return period;
        }
        final BillingPeriod billingPeriod = period.period();
        final Instant asOf = state.lastObservedAt().isBefore(billingPeriod.end()) ? state.lastObservedAt()
                : billingPeriod.end();
        final OpenTotalKeys.Known keys = openTotalKeys.of(seriesKey, billingPeriod);
        output.openTotal(keys.periodKey(), record(keys.openRecordId(), seriesKey, period, state, RecordStatus.OPEN, 0,
                null, figures, asOf));
        return period.published(figures);
    }

    /**
     * FINAL the first time a period closes; RESTATED (revision n+1) when a closed period's figures change. The closed
     * period goes to the periods store.
     */
    private void publishClosed(final String seriesKey, final String periodKey, final PeriodState period,
                               final SeriesState state) {
        final Figures figures = period.fold().figures();
        if (period.closed() && figures.equals(period.published())) {
            periods.put(periodKey, period);
            return;
        }
        final int revision = period.closed() ? period.revision() + 1 : 1;
        final RecordStatus status = revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED;
        final UUID recordId = Ids.recordId(periodKey, revision);
        output.billingRecord(record(recordId, seriesKey, period, state, status, revision,
                revision == 1 ? null : period.lastRecordId(), figures, period.period().end()));
        if (!period.closed() && period.published() != null) {
            output.totalRemoved(periodKey);
        }
        periods.put(periodKey, period.closedAs(revision, recordId, figures));
    }

    private static PeriodRecord record(final UUID recordId, final String seriesKey, final PeriodState period,
                                       final SeriesState state, final RecordStatus status, final int revision,
                                       final UUID supersedes, final Figures f, final Instant asOf) {
        final BillingPeriod billingPeriod = period.period();
        return new PeriodRecord(null, recordId, seriesKey, state.tenantId(), state.sourceId(), state.sourceKind(),
                state.licenseType(), state.unit(), billingPeriod.granularity(), billingPeriod.zone(),
                billingPeriod.start(), billingPeriod.end(), status, revision, supersedes,
                f.peakUnits(), f.avgUnits(), f.unitHours(), f.lastUnits(), f.peakCount(), f.lastCount(), f.samples(),
                f.coverage(), f.firstObservedAt(), f.lastObservedAt(), asOf);
    }
}
