package io.usagepipeline.processor.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.apache.kafka.streams.state.internals.InMemoryWindowBytesStoreSupplier;
import org.apache.kafka.streams.state.internals.InMemoryWindowStore;

/**
 * The stores of one run without changelogs, in the heap, and what each held when its task was last closed cleanly,
 * so that a task that moves to another stream thread of the instance goes on with its state.
 *
 * <p>Why in the heap: such a run's state is new and thrown away after, so RocksDB's files bought it nothing, and
 * cost it: a replay's stream thread spent about 40% less CPU per raw poll with its stores in the heap
 * (bench/MEASUREMENTS.md). Kafka Streams' own in-memory stores empty themselves when their task closes, also when the
 * task only moves to another thread of the instance; these give what they held to this object, and the thread that
 * opens the task next takes it back.
 *
 * <p>Only after a clean close: under exactly-once, Kafka Streams deletes a task's directory when it closes the task on
 * an error (its stores may hold work whose transaction was aborted), and the task must then come back empty, as a
 * RocksDB store would, for {@link StoreOptions#opened} to stop the run. So each task's directory holds a marker
 * written when its stores first open; a task whose marker is gone takes nothing back. Kafka Streams' in-memory stores
 * are internal classes (4.3): an upgrade must check that their {@code init} keeps and {@code close} clears their
 * contents, and that a close on an error still deletes the task's directory. Their suppliers are Kafka Streams' own,
 * building these stores instead.
 */
final class HeapState {

    /** In a task's directory while what its stores held may be taken back. */
    private static final String MARKER = "heap-state";

    /** Per task, per store: its entries when the task was last closed. */
    private final Map<TaskId, Map<String, List<?>>> kept = new ConcurrentHashMap<>();

    /** Kafka Streams' in-memory key-value store ({@code Stores.inMemoryKeyValueStore}), kept across moves. */
    KeyValueBytesStoreSupplier keyValue(final String name) {
        return new InMemoryKeyValueBytesStoreSupplier(name) {
            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new HeapKeyValueStore(name());
            }
        };
    }

    /** The same for its in-memory window store, without duplicates. */
    WindowBytesStoreSupplier window(final String name, final Duration retention, final Duration windowSize) {
        return new InMemoryWindowBytesStoreSupplier(name, retention.toMillis(), windowSize.toMillis(), false) {
            @Override
            public WindowStore<Bytes, byte[]> get() {
                return new HeapWindowStore(name(), retentionPeriod(), windowSize(), metricsScope());
            }
        };
    }

    /**
     * At a store's init: what it held when its task was last closed, if the task's directory still has its marker;
     * nothing otherwise, and nothing for any store of the task after.
     */
    @SuppressWarnings("unchecked")
    private <E> List<E> takeBack(final StateStoreContext context, final String store) {
        final Path marker = context.stateDir().toPath().resolve(MARKER);
        if (!Files.exists(marker)) {
            kept.remove(context.taskId()); // its state was deleted, or it never had any
            try {
                Files.createDirectories(marker.getParent());
                Files.createFile(marker);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot mark the state directory of task " + context.taskId(), e);
            }
            return List.of();
        }
        final Map<String, List<?>> stores = kept.get(context.taskId());
        final List<?> entries = stores == null ? null : stores.remove(store);
        return entries == null ? List.of() : (List<E>) entries;
    }

    /** At a store's close: everything it holds, for the thread that opens its task next. */
    private <K> void keep(final TaskId task, final String store, final KeyValueIterator<K, byte[]> all) {
        final List<KeyValue<K, byte[]>> entries = new ArrayList<>();
        try (all) {
            all.forEachRemaining(entries::add);
        }
        kept.computeIfAbsent(task, any -> new ConcurrentHashMap<>()).put(store, entries);
    }

    private final class HeapKeyValueStore extends InMemoryKeyValueStore {

        private TaskId task;

        HeapKeyValueStore(final String name) {
            super(name);
        }

        @Override
        public void init(final StateStoreContext context, final StateStore root) {
            super.init(context, root);
            task = context.taskId();
            putAll(takeBack(context, name()));
        }

        @Override
        public void close() {
            if (isOpen()) {
                keep(task, name(), all());
            }
            super.close();
        }
    }

    private final class HeapWindowStore extends InMemoryWindowStore {

        private TaskId task;

        HeapWindowStore(final String name, final long retention, final long windowSize, final String metricScope) {
            super(name, retention, windowSize, false, metricScope);
        }

        @Override
        public void init(final StateStoreContext context, final StateStore root) {
            super.init(context, root);
            task = context.taskId();
            // oldest window first, as they were put: none is older than the newest less the retention
            final List<KeyValue<Windowed<Bytes>, byte[]>> entries = takeBack(context, name());
            for (final KeyValue<Windowed<Bytes>, byte[]> entry : entries) {
                put(entry.key.key(), entry.value, entry.key.window().start());
            }
        }

        @Override
        public void close() {
            if (isOpen()) {
                keep(task, name(), all());
            }
            super.close();
        }
    }
}
