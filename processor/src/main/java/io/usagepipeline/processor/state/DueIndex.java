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
 * Keys by the instant they become due, in memory: "what is due before now" without reading a store, and without
 * stepping over the deleted keys a store index leaves behind. Due keys come out by instant, then by key, so the
 * order never depends on how the index was filled. The store it is built from stays the truth.
 */
public final class DueIndex {

    private record Entry(Instant dueAt, String key) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::dueAt).thenComparing(Entry::key);

    private final Map<String, Entry> byKey = new HashMap<>();
    private final NavigableSet<Entry> byDue = new TreeSet<>(ORDER);

    /** Sets (or moves) when a key is due. */
    public void put(final String key, final Instant dueAt) {
        remove(key);
        final Entry entry = new Entry(dueAt, key);
        byKey.put(key, entry);
        byDue.add(entry);
    }

    public void remove(final String key) {
        final Entry entry = byKey.remove(key);
        if (entry != null) {
            byDue.remove(entry);
        }
    }

    /** The keys due before {@code now}, in order; they stay in the index until removed. */
    public List<String> dueBefore(final Instant now) {
        final List<String> due = new ArrayList<>();
        for (final Entry entry : byDue) {
            if (!entry.dueAt().isBefore(now)) {
                break;
            }
            due.add(entry.key());
        }
        return due;
    }
}
