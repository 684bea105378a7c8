package io.usagepipeline.processor.billing;

import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.Keys;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The two stores of the first state format that have no successor under their name: the history as a key-value
 * store of padded keys ({@code seriesKey|0001762000000000}, JSON values) and the closing index
 * ({@code 0001762000000000|periodKey} → seriesKey). A processor upgraded from that format restores them from their
 * changelogs, reads them, and never writes to them again except to delete: open periods leave the index as they
 * close (within a month and the grace), history is forgotten as it ages past what any restatement needs. Both then
 * stay empty; they can go with the next state format, once every deployment has run this one for a horizon.
 */
public final class LegacyStores {

    public static final String HISTORY = "history-store";
    public static final String CLOSING_INDEX = "closing-index-store";

    private LegacyStores() {
    }

    public static List<StoreBuilder<?>> builders() {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY), Serdes.String(),
                        JsonSerde.exact(ObservedLevel.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLOSING_INDEX), Serdes.String(),
                        Serdes.String()));
    }

    /** Whether a store holds anything: an upgraded task reads it, a new one never looks again. */
    static boolean isEmpty(final KeyValueStore<String, ?> store) {
        try (var it = store.all()) {
            return !it.hasNext();
        }
    }

    /** The key of a series' history at an instant: the series, then epoch milliseconds as sixteen digits. */
    static String historyKey(final String seriesKey, final Instant at) {
        final String digits = Long.toString(Math.max(0, at.toEpochMilli()));
        return seriesKey + Keys.SEPARATOR + "0".repeat(Math.max(0, 16 - digits.length())) + digits;
    }

    static Instant instantOfHistoryKey(final String key) {
        return Instant.ofEpochMilli(Long.parseLong(key.substring(key.lastIndexOf(Keys.SEPARATOR) + 1)));
    }

    /** A closing-index entry as an open period: the due instant, then the period key. */
    static OpenPeriod openPeriodOf(final String closingKey, final String seriesKey) {
        final int separator = closingKey.indexOf(Keys.SEPARATOR);
        return new OpenPeriod(closingKey.substring(separator + 1), seriesKey,
                Instant.ofEpochMilli(Long.parseLong(closingKey.substring(0, separator))));
    }
}
