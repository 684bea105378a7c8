package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Keys;
import io.usagepipeline.processor.TimeRules;
import io.usagepipeline.processor.state.DueIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The series store, and the one place that writes it: each series' value holds its open periods, and an index of
 * them in memory says which are due to close without reading the store. Every write goes through {@link #put}, which
 * keeps the index in step with the values.
 *
 * <p>The index is read from the store on first use, once the store holds what the task restored, and each series' open
 * periods are held against the calendar the configuration gives now ({@link CalendarCheck}). One instance belongs
 * to one initialisation of one task: Kafka Streams initialises the processor again whenever it rolls a task's state
 * back (a crash, an aborted transaction), and the index is read again. On that first use, open periods that an older
 * state format kept in stores of their own ({@link LegacyStores}) move into their series' values.
 */
public final class SeriesStore {

    /** An open period due to close: its key, its series, and the period. */
    public record Due(String periodKey, String seriesKey, BillingPeriod period) {
    }

    private final KeyValueStore<String, SeriesState> series;
    private final KeyValueStore<String, PeriodState> periods;
    private final LegacyStores.OpenPeriodStores legacy;
    private final TimeRules rules;
    private final CalendarCheck calendar;
    private final DueIndex<Due> byDue = new DueIndex<>();
    private boolean loaded;

    public SeriesStore(final KeyValueStore<String, SeriesState> series,
                       final KeyValueStore<String, PeriodState> periods,
                       final LegacyStores.OpenPeriodStores legacy, final TimeRules rules,
                       final CalendarCheck calendar) {
        this.series = series;
        this.periods = periods;
        this.legacy = legacy;
        this.rules = rules;
        this.calendar = calendar;
    }

    /** The series, with its open periods; null when it is not known. */
    public SeriesState get(final String seriesKey) {
        load();
        return series.get(seriesKey);
    }

    /** Writes a series that was {@code before} (null: new) and is now {@code after}; notes what opened or closed. */
    public void put(final String seriesKey, final SeriesState before, final SeriesState after) {
        load();
        series.put(seriesKey, after);
        if (before != null && sameOpenPeriods(before, after)) {
            return; // the usual write, an observation folded into the periods already open: nothing to note
        }
        for (final PeriodState period : after.open()) {
            if (before == null || !holds(before, period.period())) {
                remember(seriesKey, period);
            }
        }
        if (before != null) {
            for (final PeriodState period : before.open()) {
                if (!holds(after, period.period())) {
                    forget(periodKey(seriesKey, period));
                }
            }
        }
    }

    /** Whether both have the same periods open; a series keeps them in key order, so they are compared in turn. */
    private static boolean sameOpenPeriods(final SeriesState before, final SeriesState after) {
        if (before.open().size() != after.open().size()) {
            return false;
        }
        for (int i = 0; i < before.open().size(); i++) {
            if (!before.open().get(i).period().sameKey(after.open().get(i).period())) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(final SeriesState state, final BillingPeriod period) {
        return state.openPeriod(period) != null;
    }

    /** Forgets a series that has no open period. */
    public void delete(final String seriesKey) {
        load();
        series.delete(seriesKey);
    }

    /** Every series, for pruning. */
    public KeyValueIterator<String, SeriesState> all() {
        load();
        return series.all();
    }

    /** The open periods due before {@code streamTime}, in the order they are to close. */
    public List<Due> dueBefore(final Instant streamTime) {
        load();
        return byDue.dueBefore(streamTime);
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        moveLegacyOpenPeriods();
        final List<KeyValue<String, SeriesState>> realigned = new ArrayList<>();
        try (KeyValueIterator<String, SeriesState> it = series.all()) {
            it.forEachRemaining(entry -> {
                final SeriesState aligned = calendar.aligned(entry.value);
                if (aligned != entry.value) {
                    realigned.add(KeyValue.pair(entry.key, aligned));
                }
                aligned.open().forEach(period -> remember(entry.key, period));
            });
        }
        realigned.forEach(entry -> series.put(entry.key, entry.value));
    }

    /**
     * Moves the open periods an older format kept in the periods store, indexed by a store of their own, into their
     * series' values; the old index is emptied as they move.
     */
    private void moveLegacyOpenPeriods() {
        final List<KeyValue<String, String>> moved = new ArrayList<>();
        legacy.forEach((periodKey, seriesKey) -> moved.add(KeyValue.pair(periodKey, seriesKey)));
        for (final KeyValue<String, String> open : moved) {
            final PeriodState period = periods.get(open.key);
            if (period == null || period.closed()) {
                continue; // a closed period stays in the periods store: its restatements start from it
            }
            final SeriesState state = series.get(open.value);
            if (state != null) {
                series.put(open.value, state.withOpen(period));
            }
            periods.delete(open.key);
        }
        legacy.clear();
    }

    private void remember(final String seriesKey, final PeriodState period) {
        final String periodKey = periodKey(seriesKey, period);
        byDue.put(periodKey, rules.dueAt(period.period().end()), new Due(periodKey, seriesKey, period.period()));
    }

    private void forget(final String periodKey) {
        byDue.remove(periodKey);
    }

    private static String periodKey(final String seriesKey, final PeriodState period) {
        return Keys.periodKey(seriesKey, period.period().granularity(), period.period().start());
    }
}
