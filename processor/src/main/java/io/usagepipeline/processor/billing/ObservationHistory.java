package io.usagepipeline.processor.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The history of a processor that keeps changelogs: a window store keyed by series, one entry per observation
 * instant, whose retention (DESIGN §4, {@code TimeRules#historyRetention}) forgets the rest segment by segment without
 * anyone deleting keys. A task upgraded from the first state format also reads the history that format kept
 * ({@link LegacyStores#HISTORY}) until it has aged out.
 */
public final class ObservationHistory implements History {

    private final WindowStore<String, ObservedLevel> store;
    private final KeyValueStore<String, ObservedLevel> legacy;
    /** Whether the first format's history is empty: asked once, on first use, after the task's restore. */
    private Boolean legacyEmpty;

    public ObservationHistory(final WindowStore<String, ObservedLevel> store,
                              final KeyValueStore<String, ObservedLevel> legacy) {
        this.store = store;
        this.legacy = legacy;
    }

    @Override
    public void put(final String seriesKey, final Instant at, final ObservedLevel level) {
        store.put(seriesKey, level, at.toEpochMilli());
    }

    @Override
    public void forEach(final String seriesKey, final Instant from, final Instant to,
                        final BiConsumer<Instant, ObservedLevel> action) {
        if (legacyEmpty()) {
            try (WindowStoreIterator<ObservedLevel> it = store.fetch(seriesKey, from, to)) {
                while (it.hasNext()) {
                    final KeyValue<Long, ObservedLevel> entry = it.next();
                    action.accept(Instant.ofEpochMilli(entry.key), entry.value);
                }
            }
            return;
        }
        final NavigableMap<Instant, ObservedLevel> merged = new TreeMap<>();
        try (KeyValueIterator<String, ObservedLevel> it = legacy.range(LegacyStores.historyKey(seriesKey, from),
                LegacyStores.historyKey(seriesKey, to))) {
            it.forEachRemaining(entry -> merged.put(LegacyStores.instantOfHistoryKey(entry.key), entry.value));
        }
        try (WindowStoreIterator<ObservedLevel> it = store.fetch(seriesKey, from, to)) {
            it.forEachRemaining(entry -> merged.put(Instant.ofEpochMilli(entry.key), entry.value));
        }
        merged.forEach(action);
    }

    private boolean legacyEmpty() {
        if (legacyEmpty == null) {
            legacyEmpty = LegacyStores.isEmpty(legacy);
        }
        return legacyEmpty;
    }

    /** Deletes the legacy history before {@code cutoff}; the window store forgets by itself. */
    @Override
    public void forgetLegacyBefore(final Instant cutoff) {
        if (legacyEmpty()) {
            return;
        }
        final List<String> old = new ArrayList<>();
        boolean anyLeft = false;
        try (KeyValueIterator<String, ObservedLevel> it = legacy.all()) {
            while (it.hasNext()) {
                final String key = it.next().key;
                if (LegacyStores.instantOfHistoryKey(key).isBefore(cutoff)) {
                    old.add(key);
                } else {
                    anyLeft = true;
                }
            }
        }
        old.forEach(legacy::delete);
        legacyEmpty = !anyLeft;
    }
}
