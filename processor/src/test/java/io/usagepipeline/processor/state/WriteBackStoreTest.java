package io.usagepipeline.processor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * What the store beneath sees: nothing until Kafka Streams flushes the caches before a commit, then the latest value
 * of each key once; the least recently used key early when the store is full; nothing of what a rollback cleared.
 */
class WriteBackStoreTest {

    private final Beneath beneath = new Beneath();
    private final WriteBackStore<String, String> store = new WriteBackStore<>(beneath, 3);

    @Test
    void shouldWriteTheLatestValueOfEachKeyOnlyWhenTheCachesAreFlushed() {
        beneath.map.put("removed", "old");
        store.put("series", "level 1");
        store.put("series", "level 2");
        store.put("target", "snapshot");
        store.delete("removed");

        assertThat(beneath.writes).isEmpty();
        assertThat(store.get("series")).isEqualTo("level 2");
        assertThat(store.get("removed")).isNull();

        store.flushCache();

        assertThat(beneath.writes).containsExactlyInAnyOrder("put series=level 2", "put target=snapshot",
                "delete removed");
        assertThat(beneath.map).containsOnlyKeys("series", "target");
        store.flushCache();
        assertThat(beneath.writes).as("nothing held after a flush").hasSize(3);
    }

    @Test
    void shouldReadFromBeneathWhatItDoesNotHold() {
        beneath.map.put("series", "committed");

        assertThat(store.get("series")).isEqualTo("committed");
        assertThat(store.putIfAbsent("series", "other")).isEqualTo("committed");
        assertThat(store.get("series")).isEqualTo("committed");
    }

    @Test
    void shouldWriteTheKeyUsedLongestAgoBeneathWhenFull() {
        store.put("a", "1");
        store.put("b", "2");
        store.put("c", "3");
        store.get("a");
        store.put("d", "4");

        assertThat(beneath.writes).containsExactly("put b=2");
        assertThat(store.get("b")).isEqualTo("2");
    }

    @Test
    void shouldDropWhatItHeldWhenTheTaskIsRolledBack() {
        beneath.map.put("series", "committed");
        store.put("series", "uncommitted");

        store.clearCache();
        store.flushCache();

        assertThat(store.get("series")).isEqualTo("committed");
        assertThat(beneath.writes).isEmpty();
    }

    @Test
    void shouldWriteEverythingHeldBeforeItIterates() {
        store.put("b", "2");
        store.put("a", "1");

        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }

        assertThat(keys).containsExactly("a", "b");
    }

    /** A store in memory that records what is written to it. */
    private static final class Beneath implements KeyValueStore<String, String> {

        final TreeMap<String, String> map = new TreeMap<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public void put(final String key, final String value) {
            writes.add("put " + key + "=" + value);
            map.put(key, value);
        }

        @Override
        public String putIfAbsent(final String key, final String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putAll(final List<KeyValue<String, String>> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String delete(final String key) {
            writes.add("delete " + key);
            return map.remove(key);
        }

        @Override
        public String get(final String key) {
            return map.get(key);
        }

        @Override
        public KeyValueIterator<String, String> range(final String from, final String to) {
            return iterator(map.subMap(from, true, to, true).entrySet().iterator());
        }

        @Override
        public KeyValueIterator<String, String> all() {
            return iterator(map.entrySet().iterator());
        }

        private static KeyValueIterator<String, String> iterator(
                final Iterator<Map.Entry<String, String>> entries) {
            final List<KeyValue<String, String>> copy = new ArrayList<>();
            entries.forEachRemaining(entry -> copy.add(KeyValue.pair(entry.getKey(), entry.getValue())));
            final Iterator<KeyValue<String, String>> it = copy.iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, String> next() {
                    return it.next();
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        @Override
        public String name() {
            return "beneath";
        }

        @Override
        public void init(final StateStoreContext context, final StateStore root) {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
