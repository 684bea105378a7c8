package io.usagepipeline.processor.state;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@link WriteBackStore} for a window store whose keys are written window after window (a series' days of history in
 * a replay): the latest window of each key is held as an object until Kafka Streams flushes the caches before a
 * commit or a clean close, and written beneath then, or as soon as a later window of the key is put (its window is
 * over). Holding every window until the commit kept thousands of finished days alive per task, and a replay with
 * one thread slowed down. A put of an earlier window than the one held goes beneath at once. A point fetch reads what
 * is held; every other read first writes everything held, then reads beneath.
 */
public final class WriteBackWindowStore<K, V>
        extends WriteBackLayer<WindowStore<K, V>, K, V, WriteBackWindowStore.Held<V>> implements WindowStore<K, V> {

    /** A key's latest window and its value. */
    record Held<V>(long windowStart, V value) {
    }

    WriteBackWindowStore(final WindowStore<K, V> beneath, final int capacity) {
        super(beneath, capacity);
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

    @Override
    void writeBeneath(final K key, final Held<V> window) {
        beneath.put(key, window.value(), window.windowStart());
    }
}
