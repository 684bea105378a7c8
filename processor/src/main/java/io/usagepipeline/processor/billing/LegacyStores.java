package io.usagepipeline.processor.billing;

import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores of older state formats that have no successor under their name. A processor upgraded from one of them
 * restores them from their changelogs, reads them, and never writes to them again except to delete:
 * <ul>
 *   <li>the first format's history, a key-value store of padded keys ({@code seriesKey|0001762000000000}, JSON
 *       values), forgotten as it ages past what any restatement needs;</li>
 *   <li>the first format's closing index ({@code 0001762000000000|periodKey} → seriesKey) and format 1's open-periods
 *       store (periodKey → its series and due instant): the open periods they list move into their series' values
 *       on the first record after the upgrade ({@link SeriesStore}), and both are then empty.</li>
 * </ul>
 * They can go with a later state format, once every deployment has run this one for a horizon.
 */
public final class LegacyStores {

    public static final String HISTORY = "history-store";
    public static final String CLOSING_INDEX = "closing-index-store";
    public static final String OPEN_PERIODS = "open-periods-store";

    private LegacyStores() {
    }

    /** The stores, each of the kind {@code kind} gives for its name ({@code StoreOptions#keyValue}). */
    public static List<StoreBuilder<?>> builders(final Function<String, KeyValueBytesStoreSupplier> kind) {
        return List.of(
                Stores.keyValueStoreBuilder(kind.apply(HISTORY), Serdes.String(), JsonSerde.exact(ObservedLevel.class)),
                Stores.keyValueStoreBuilder(kind.apply(CLOSING_INDEX), Serdes.String(), Serdes.String()),
                // only its keys are read: a period key names its series
                Stores.keyValueStoreBuilder(kind.apply(OPEN_PERIODS), Serdes.String(), Serdes.Bytes()));
    }

    /** The two indexes of open periods the older formats kept. */
    public record OpenPeriodStores(KeyValueStore<String, Bytes> openPeriods,
                                   KeyValueStore<String, String> closingIndex) {

        /** Tells {@code action} each open period listed, as its period key and series key. */
        void forEach(final BiConsumer<String, String> action) {
            try (KeyValueIterator<String, Bytes> it = openPeriods.all()) {
                it.forEachRemaining(entry -> action.accept(entry.key, Keys.parsePeriodKey(entry.key).seriesKey()));
            }
            try (KeyValueIterator<String, String> it = closingIndex.all()) {
                it.forEachRemaining(entry -> action.accept(
                        entry.key.substring(entry.key.indexOf(Keys.SEPARATOR) + 1), entry.value));
            }
        }

        /** Empties both. */
        void clear() {
            clear(openPeriods);
            clear(closingIndex);
        }

        private static void clear(final KeyValueStore<String, ?> store) {
            final List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, ?> it = store.all()) {
                it.forEachRemaining(entry -> keys.add(entry.key));
            }
            keys.forEach(store::delete);
        }
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
}
