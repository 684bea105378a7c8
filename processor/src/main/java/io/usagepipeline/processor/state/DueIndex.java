package io.usagepipeline.processor.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Keys by the instant they become due, each with a value, in memory: "what is due before now" without reading a
 * store, and without stepping over the deleted keys a store index leaves behind. Due entries come out by instant, then
 * by key, so the order never depends on how the index was filled. The store it is built from stays the truth.
 *
 * @param <V> what the index gives for a due key (the key itself, or what its owner needs to act on it)
 */
public final class DueIndex<V> {

    private record Entry<V>(Instant dueAt, String key, V value) {
    }

    private final Map<String, Entry<V>> byKey = new HashMap<>();
    private final NavigableSet<Entry<V>> byDue = new TreeSet<>(
            Comparator.comparing((Entry<V> entry) -> entry.dueAt()).thenComparing(Entry::key));

    /** Sets (or moves) when a key is due, and what it gives then. */
    public void put(final String key, final Instant dueAt, final V value) {
        remove(key);
        final Entry<V> entry = new Entry<>(dueAt, key, value);
        byKey.put(key, entry);
        byDue.add(entry);
    }

    public void remove(final String key) {
        final Entry<V> entry = byKey.remove(key);
        if (entry != null) {
            byDue.remove(entry);
        }
    }

    /** The values of the keys due before {@code now}, in order; they stay in the index until removed. */
    public List<V> dueBefore(final Instant now) {
        final List<V> due = new ArrayList<>();
        for (final Entry<V> entry : byDue) {
            if (!entry.dueAt().isBefore(now)) {
                break;
            }
            due.add(entry.value());
        }
        return due;
    }
}
