package io.usagepipeline.processor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/**
 * What the window store beneath sees: a key's window once, when the caches are flushed before a commit or as soon as a
 * later window of the key is put; everything held before a range is read; the key used longest ago early when the
 * store is full; nothing of what a rollback cleared.
 */
class WriteBackWindowStoreTest {

    private static final long DAY = 86_400_000L;

    /** The store beneath: its values by "key@windowStart", and every write it got. */
    private final Map<String, String> values = new TreeMap<>();
    private final List<String> writes = new ArrayList<>();
    private final WriteBackWindowStore<String, String> store = new WriteBackWindowStore<>(beneath(), 3);

    @Test
    void shouldWriteAKeysWindowOnceWhenTheCachesAreFlushedOrItsNextWindowBegins() {
        store.put("series", "day 1, one level", 0);
        store.put("series", "day 1, two levels", 0);
        store.put("other", "day 1", 0);

        assertThat(writes).isEmpty();
        assertThat(store.fetch("series", 0)).isEqualTo("day 1, two levels");

        store.put("series", "day 2", DAY);

        assertThat(writes).containsExactly("put series@0=day 1, two levels");
        assertThat(store.fetch("series", 0)).isEqualTo("day 1, two levels");
        assertThat(store.fetch("series", DAY)).isEqualTo("day 2");

        store.flushCache();

        assertThat(writes).containsExactlyInAnyOrder("put series@0=day 1, two levels", "put other@0=day 1",
                "put series@86400000=day 2");
        store.flushCache();
        assertThat(writes).as("nothing held after a flush").hasSize(3);
    }

    @Test
    void shouldWriteAnEarlierWindowThanTheOneHeldAtOnce() {
        store.put("series", "day 2", DAY);

        store.put("series", "day 1, come late", 0);

        assertThat(writes).containsExactly("put series@0=day 1, come late");
        assertThat(store.fetch("series", 0)).isEqualTo("day 1, come late");
        assertThat(store.fetch("series", DAY)).isEqualTo("day 2");
    }

    @Test
    void shouldReadFromBeneathWhatItDoesNotHold() {
        values.put("series@0", "committed");

        assertThat(store.fetch("series", 0)).isEqualTo("committed");
        assertThat(store.fetch("series", DAY)).isNull();
    }

    @Test
    void shouldWriteEverythingHeldBeforeARangeIsRead() {
        store.put("series", "day 1", 0);
        store.put("series", "day 2", DAY);

        final List<String> read = new ArrayList<>();
        try (WindowStoreIterator<String> days = store.fetch("series", 0, DAY)) {
            days.forEachRemaining(day -> read.add(day.value));
        }

        assertThat(read).containsExactly("day 1", "day 2");
        assertThat(writes).hasSize(2);
    }

    @Test
    void shouldWriteTheWindowUsedLongestAgoBeneathWhenFull() {
        store.put("a", "1", 0);
        store.put("b", "2", 0);
        store.put("c", "3", 0);
        store.fetch("a", 0);
        store.put("d", "4", 0);

        assertThat(writes).containsExactly("put b@0=2");
        assertThat(store.fetch("b", 0)).isEqualTo("2");
    }

    @Test
    void shouldDropWhatItHeldWhenTheTaskIsRolledBack() {
        store.put("series", "uncommitted", 0);

        store.clearCache();
        store.flushCache();

        assertThat(writes).isEmpty();
        assertThat(store.fetch("series", 0)).isNull();
    }

    /** A window store that keeps its values in {@link #values} and notes every write in {@link #writes}. */
    @SuppressWarnings("unchecked")
    private WindowStore<String, String> beneath() {
        return (WindowStore<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WindowStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "put" -> {
                        writes.add("put " + args[0] + "@" + args[2] + "=" + args[1]);
                        values.put(args[0] + "@" + args[2], (String) args[1]);
                        yield null;
                    }
                    case "fetch" -> args.length == 2 ? values.get(args[0] + "@" + args[1])
                            : range((String) args[0], (long) args[1], (long) args[2]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private WindowStoreIterator<String> range(final String key, final long from, final long to) {
        final List<KeyValue<Long, String>> found = new ArrayList<>();
        for (long start = from; start <= to; start += DAY) {
            final String value = values.get(key + "@" + start);
            if (value != null) {
                found.add(KeyValue.pair(start, value));
            }
        }
        final Iterator<KeyValue<Long, String>> it = found.iterator();
        return new WindowStoreIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<Long, String> next() {
                return it.next();
            }

            @Override
            public Long peekNextKey() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }
}
