package io.usagepipeline.processor.billing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The most recently used values of a task's store, kept deserialized. Every observation reads its series and both
 * of its open periods; without this, each read decodes JSON, which was the largest cost of the processor. Writes
 * and deletes go to the store at once (the store and its changelog stay the truth), so the cache never holds
 * anything the store does not. Values are immutable records and can be shared.
 *
 * <p>One cache belongs to one initialisation of one task: Kafka Streams initialises the processor again whenever
 * it rolls a task's state back (a crash, an aborted transaction), and the processor then builds new caches.
 */
final class ReadCache<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;

    ReadCache(final KeyValueStore<String, V> store, final int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(final String key) {
        final V cached = recent.get(key);
        if (cached != null) {
            return cached;
        }
        final V stored = store.get(key);
        if (stored != null) {
            recent.put(key, stored);
        }
        return stored;
    }

    void put(final String key, final V value) {
        store.put(key, value);
        recent.put(key, value);
    }

    void delete(final String key) {
        store.delete(key);
        recent.remove(key);
    }

    /** Every entry, from the store. */
    KeyValueIterator<String, V> all() {
        return store.all();
    }
}
