package io.usagepipeline.processor.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
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
 * or every key first writes everything held. {@link CachedStateStore} is Kafka Streams' internal interface for its
 * own caching layer (4.3), the only way a store learns of a commit before the transaction ends.
 */
public final class WriteBackStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {

    private final KeyValueStore<K, V> beneath;
    /** The values written since the last flush, the least recently used first; a null value is a deletion. */
    private final LinkedHashMap<K, V> held;

    WriteBackStore(final KeyValueStore<K, V> beneath, final int capacity) {
        this.beneath = beneath;
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                writeBeneath(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
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

    /** Before a commit or a clean close: everything held goes to the store beneath, and on to its changelog. */
    @Override
    public void flushCache() {
        writeHeld();
    }

    /** The task's state is rolled back: what is held was never committed. */
    @Override
    public void clearCache() {
        held.clear();
    }

    @Override
    public boolean setFlushListener(final CacheFlushListener<K, V> listener, final boolean sendOldValues) {
        return false; // no node downstream reads this store's flushes
    }

    @Override
    public void commit(final Map<TopicPartition, Long> changelogOffsets) {
        writeHeld();
        beneath.commit(changelogOffsets);
    }

    private void writeHeld() {
        held.forEach(this::writeBeneath); // iterating does not reorder an access-ordered map; writing beneath neither
        held.clear();
    }

    private void writeBeneath(final K key, final V value) {
        if (value == null) {
            beneath.delete(key);
        } else {
            beneath.put(key, value);
        }
    }

    @Override
    public String name() {
        return beneath.name();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        held.clear();
        beneath.init(context, root);
    }

    /** Closed without a flush before it (an error): what was held goes, as Kafka Streams drops the rest. */
    @Override
    public void close() {
        held.clear();
        beneath.close();
    }

    @Override
    public boolean persistent() {
        return beneath.persistent();
    }

    @Override
    public boolean isOpen() {
        return beneath.isOpen();
    }

    @Override
    public Long committedOffset(final TopicPartition partition) {
        return beneath.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return beneath.managesOffsets();
    }

    @Override
    public <R> QueryResult<R> query(final Query<R> query, final PositionBound positionBound,
                                    final QueryConfig config) {
        return beneath.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return beneath.getPosition();
    }
}
