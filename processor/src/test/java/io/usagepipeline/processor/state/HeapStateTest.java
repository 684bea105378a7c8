package io.usagepipeline.processor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a task's store in the heap has when its task is opened again: what it held at the last close, as a RocksDB
 * store's files would, unless Kafka Streams deleted the task's directory (a close on an error under exactly-once);
 * then every store of the task starts empty, as RocksDB's would.
 */
class HeapStateTest {

    private static final TaskId TASK = new TaskId(0, 1);

    private final HeapState heap = new HeapState();

    @TempDir
    Path stateDir;

    @Test
    void shouldGiveATaskOpenedAgainWhatItsStoresHeldWhenItClosed() {
        final KeyValueStore<Bytes, byte[]> series = open("series", TASK);
        series.put(key("a"), new byte[] {1});
        series.put(key("b"), new byte[] {2});
        series.close();

        // a store closed in Kafka Streams' way is empty: the task took its entries away
        assertThat(series.isOpen()).isFalse();
        final KeyValueStore<Bytes, byte[]> reopened = open("series", TASK); // on another stream thread
        assertThat(entries(reopened)).containsExactly("a=1", "b=2");
        assertThat(entries(open("series", new TaskId(0, 2)))).as("another task's store").isEmpty();
    }

    @Test
    void shouldGiveNothingBackWhenTheTaskDirectoryWasDeleted() throws IOException {
        final KeyValueStore<Bytes, byte[]> series = open("series", TASK);
        final KeyValueStore<Bytes, byte[]> targets = open("targets", TASK);
        series.put(key("a"), new byte[] {1});
        targets.put(key("t"), new byte[] {3});
        series.close();
        targets.close();

        deleteRecursively(taskDir(TASK)); // Kafka Streams closed the task on an error

        assertThat(entries(open("series", TASK))).isEmpty();
        // the first store opened marks the directory again; the task's other stores must not take theirs back
        assertThat(entries(open("targets", TASK))).isEmpty();
    }

    private KeyValueStore<Bytes, byte[]> open(final String name, final TaskId task) {
        final KeyValueStore<Bytes, byte[]> store = heap.keyValue(name).get();
        final StateStoreContext context = new MockProcessorContext<>(new Properties(), task, taskDir(task).toFile())
                .getStateStoreContext();
        store.init(context, store);
        return store;
    }

    private Path taskDir(final TaskId task) {
        return stateDir.resolve(task.toString());
    }

    private static Bytes key(final String key) {
        return Bytes.wrap(key.getBytes());
    }

    private static List<String> entries(final KeyValueStore<Bytes, byte[]> store) {
        final List<String> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining((KeyValue<Bytes, byte[]> entry) ->
                    entries.add(new String(entry.key.get()) + "=" + entry.value[0]));
        }
        return entries;
    }

    private static void deleteRecursively(final Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
