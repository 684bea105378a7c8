package io.usagepipeline.processor.state;

import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps the values written to it as objects until Kafka Streams flushes the stores' caches,
 * just before every commit, and only then writes the latest value of each key to the store beneath (which encodes
 * it, sends it to its changelog and puts it in RocksDB). It takes the place of the Streams record cache, which holds
 * bytes: a series is read and written again for every observation, and with bytes each of those decoded and encoded
 * the whole value. Between two commits a key costs at most one read from the store beneath and one write to it.
 *
 * <p>Kafka Streams flushes every {@link CachedStateStore} before it commits (inside the transaction, under
 * exactly-once) and before it closes a task cleanly, so nothing written here misses a commit or a changelog; when it
 * rolls a task back it clears the caches, and what was held goes with the rest of the uncommitted state. At most
 * {@code capacity} keys are held: past that, the one used longest ago is written beneath at once. Reading a range
 * or every key first writes everything held. How it learns of a commit: {@link WriteBackLayer}.
 */
public final class WriteBackStore<K, V> extends WriteBackLayer<KeyValueStore<K, V>, K, V, V>
        implements KeyValueStore<K, V> {

    /** Held values: a null one is a deletion. */
    WriteBackStore(final KeyValueStore<K, V> beneath, final int capacity) {
        super(beneath, capacity);
    }

    @Override
    public V get(final K key) {
        final V value = held.get(key);
        return value != null || held.containsKey(key) ? value : beneath.get(key);
    }

    @Override
    public void put(final K key, final V value) {
        held.put(key, value);
    }

    @Override
    public V putIfAbsent(final K key, final V value) {
        final V known = get(key);
        if (known == null) {
            put(key, value);
        }
        return known;
    }

    @Override
    public void putAll(final List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(final K key) {
        final V known = get(key);
        held.put(key, null);
        return known;
    }

    @Override
    public KeyValueIterator<K, V> range(final K from, final K to) {
        writeHeld();
        return beneath.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(final K from, final K to) {
        writeHeld();
        return beneath.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writeHeld();
        return beneath.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writeHeld();
        return beneath.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(final P prefix,
                                                                         final PS prefixKeySerializer) {
        writeHeld();
        return beneath.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return beneath.approximateNumEntries() + held.size();
    }

    @Override
    void writeBeneath(final K key, final V value) {
        if (value == null) {
            beneath.delete(key);
        } else {
            beneath.put(key, value);
        }
    }
}
