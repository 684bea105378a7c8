package io.usagepipeline.processor.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * {@link WriteBackStore} for a window store whose keys are written window after window (a series' days of history in
 * a replay): the latest window of each key is held as an object until Kafka Streams flushes the caches before a
 * commit or a clean close, and written beneath then, or as soon as a later window of the key is put (its window is
 * over). Holding every window until the commit kept thousands of finished days alive per task, and a replay with
 * one thread slowed down. A put of an earlier window than the one held goes beneath at once. A point fetch reads what
 * is held; every other read first writes everything held, then reads beneath.
 */
public final class WriteBackWindowStore<K, V> implements WindowStore<K, V>, CachedStateStore<K, V> {

    private record Held<V>(long windowStart, V value) {
    }

    private final WindowStore<K, V> beneath;
    /** Each key's latest window put since the last flush, the least recently used first. */
    private final LinkedHashMap<K, Held<V>> held;

    WriteBackWindowStore(final WindowStore<K, V> beneath, final int capacity) {
        this.beneath = beneath;
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<K, Held<V>> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                writeBeneath(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    @Override
    public void put(final K key, final V value, final long windowStartTimestamp) {
        final Held<V> current = held.get(key);
        if (current != null && current.windowStart() > windowStartTimestamp) {
            beneath.put(key, value, windowStartTimestamp); // an earlier window, come late
            return;
        }
        if (current != null && current.windowStart() < windowStartTimestamp) {
            writeBeneath(key, current); // the key's window before is over
        }
        if (value == null) {
            held.remove(key);
            beneath.put(key, null, windowStartTimestamp);
            return;
        }
        held.put(key, new Held<>(windowStartTimestamp, value));
    }

    @Override
    public V fetch(final K key, final long time) {
        final Held<V> current = held.get(key);
        return current != null && current.windowStart() == time ? current.value() : beneath.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<V> fetch(final K key, final long timeFrom, final long timeTo) {
        writeHeld();
        return beneath.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(final K key, final long timeFrom, final long timeTo) {
        writeHeld();
        return beneath.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(final K keyFrom, final K keyTo, final long timeFrom,
                                                  final long timeTo) {
        writeHeld();
        return beneath.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(final K keyFrom, final K keyTo, final long timeFrom,
                                                          final long timeTo) {
        writeHeld();
        return beneath.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(final long timeFrom, final long timeTo) {
        writeHeld();
        return beneath.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(final long timeFrom, final long timeTo) {
        writeHeld();
        return beneath.backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        writeHeld();
        return beneath.all();
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardAll() {
        writeHeld();
        return beneath.backwardAll();
    }

    /** Before a commit or a clean close: everything held goes to the store beneath. */
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

    private void writeBeneath(final K key, final Held<V> window) {
        beneath.put(key, window.value(), window.windowStart());
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
