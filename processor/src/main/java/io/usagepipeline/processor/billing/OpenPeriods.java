package io.usagepipeline.processor.billing;

import io.usagepipeline.processor.state.DueIndex;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one owner of "this period is open": which periods of a series are open, and which are due to close. The store
 * is the truth (it survives a crash through its changelog); an index of it in memory answers the two questions
 * asked on every poll without reading the store. There are two open periods per live series (its DAY and its
 * MONTH, a third around midnight while yesterday waits out the grace), so the index is small.
 *
 * <p>One instance belongs to one initialisation of one task: Kafka Streams initialises the processor again whenever
 * it rolls a task's state back (a crash, an aborted transaction), and the index is read from the store again.
 */
public final class OpenPeriods {

    private final KeyValueStore<String, OpenPeriod> store;
    /** The first format's index of the periods it opened, by period key: left as each of them closes. */
    private final KeyValueStore<String, String> legacyIndex;
    private final Map<String, String> legacyKeys = new HashMap<>();
    private final Map<String, OpenPeriod> byPeriod = new HashMap<>();
    private final Map<String, NavigableSet<String>> bySeries = new HashMap<>();
    private final DueIndex byDue = new DueIndex();

    private boolean loaded;

    public OpenPeriods(final KeyValueStore<String, OpenPeriod> store,
                       final KeyValueStore<String, String> legacyIndex) {
        this.store = store;
        this.legacyIndex = legacyIndex;
    }

    /** Reads the index from the stores on first use, once they hold what the task restored. */
    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try (KeyValueIterator<String, OpenPeriod> it = store.all()) {
            it.forEachRemaining(entry -> remember(entry.value));
        }
        try (KeyValueIterator<String, String> it = legacyIndex.all()) {
            it.forEachRemaining(entry -> {
                final OpenPeriod period = LegacyStores.openPeriodOf(entry.key, entry.value);
                legacyKeys.put(period.periodKey(), entry.key);
                remember(period);
            });
        }
    }

    public boolean isOpen(final String periodKey) {
        load();
        return byPeriod.containsKey(periodKey);
    }

    /** Opens a period that closes once stream time passes {@code dueAt}; opening an open period changes nothing. */
    public void open(final String periodKey, final String seriesKey, final Instant dueAt) {
        if (isOpen(periodKey)) {
            return;
        }
        final OpenPeriod period = new OpenPeriod(periodKey, seriesKey, dueAt);
        store.put(periodKey, period);
        remember(period);
    }

    /** Closes a period; closing one that is not open changes nothing. */
    public void close(final String periodKey) {
        load();
        final OpenPeriod period = byPeriod.remove(periodKey);
        if (period == null) {
            return;
        }
        final String legacyKey = legacyKeys.remove(periodKey);
        if (legacyKey != null) {
            legacyIndex.delete(legacyKey);
        } else {
            store.delete(periodKey);
        }
        byDue.remove(periodKey);
        final NavigableSet<String> ofSeries = bySeries.get(period.seriesKey());
        ofSeries.remove(periodKey);
        if (ofSeries.isEmpty()) {
            bySeries.remove(period.seriesKey());
        }
    }

    /** The open periods of a series, by period key (a DAY before its MONTH, an earlier day before a later one). */
    public List<String> openOf(final String seriesKey) {
        load();
        final NavigableSet<String> ofSeries = bySeries.get(seriesKey);
        return ofSeries == null ? List.of() : List.copyOf(ofSeries);
    }

    /** The open periods due before {@code streamTime}, in the order they are to close. */
    public List<OpenPeriod> dueBefore(final Instant streamTime) {
        load();
        return byDue.dueBefore(streamTime).stream().map(byPeriod::get).toList();
    }

    private void remember(final OpenPeriod period) {
        byPeriod.put(period.periodKey(), period);
        bySeries.computeIfAbsent(period.seriesKey(), key -> new TreeSet<>()).add(period.periodKey());
        byDue.put(period.periodKey(), period.dueAt());
    }
}
