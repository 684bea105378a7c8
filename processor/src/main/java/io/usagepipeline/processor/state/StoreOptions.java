package io.usagepipeline.processor.state;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * How one run of the processor builds its stores: with changelogs or not, and the stores whose values are updated
 * behind a layer that holds them as objects between commits ({@link WriteBackStore}).
 *
 * <p>Holding: the many updates a series gets between two commits are decoded once and neither encoded nor written (to
 * RocksDB and the changelog, or a replay's stores in the heap) but once, at the commit. At a poll an hour per target a
 * live commit has little to coalesce; a live processor catching up on a backlog (the bench's live stage) spent about
 * a third of its stream thread in RocksDB's gets and puts, searching memtables that grew with every version written
 * ({@code perf}), and holding its values it used a quarter to two fifths less CPU per raw poll (bench/MEASUREMENTS.md).
 *
 * <p>A processor that runs on keeps a changelog for every store: that is how its state comes back after a failure or
 * on another instance. A replay does not need them: it runs once, into a state directory of its own that is deleted
 * afterwards, and starts over when it fails. Without them it writes a changelog record for each observation and poll
 * less (3.5 of the 3.8 records it wrote per raw poll). The price is that a task whose state is lost cannot get it
 * back: under exactly-once, Kafka Streams deletes a task's state directory when it closes the task on an error, and
 * would then resume it from its last commit with empty stores and bill wrongly without a word. So a run without
 * changelogs stops when a task that had state is opened again with none ({@link #opened}). A task closed cleanly
 * (moved to another stream thread of the instance) keeps its stores and goes on. Such a run keeps its stores in the
 * heap ({@link HeapState}), since it has no use for files.
 *
 * <p>Every changelog is stamped by the broker when a record is written ({@link #CHANGELOG_CONFIGS}). Kafka Streams
 * stamps a changelog record with the time of the raw poll being processed, and the broker deletes the segments of a
 * window store's changelog ({@code compact,delete}) by those stamps: over polls older than the store's retention (an
 * imported history, a processor catching up) it deleted them within seconds, and a processor restored from the
 * changelog (another instance, a crash under exactly-once) recomputed and deduplicated from a history that lacked
 * them. Stamped when written, a changelog keeps its records for the store's retention counted from then.
 */
public final class StoreOptions {

    /** The topic settings of every changelog of the processor's stores; see the class comment. */
    public static final Map<String, String> CHANGELOG_CONFIGS = Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.LOG_APPEND_TIME.name);

    /**
     * Keys a store holds per task at most: the series of a task (about 830) in a replay of 1,000 tenants of the
     * bench's kind fit, and a task of a larger fleet writes its least recently used ones through early. A series held
     * as objects takes a few KB of heap, so this bounds what a run holds as objects at about 45 MB; its history holds a
     * series' current day, a few KB more per series.
     */
    static final int HELD_KEYS = 1024;

    private final boolean changelogs;
    private final Set<TaskId> withState = ConcurrentHashMap.newKeySet();
    private final HeapState heap = new HeapState();

    /**
     * @param changelogs every store keeps a changelog (anything that runs on); false only for a run that starts over
     *                   when it fails
     */
    public StoreOptions(final boolean changelogs) {
        this.changelogs = changelogs;
    }

    /**
     * A store whose values are updated: behind a {@link WriteBackStore} of {@link #HELD_KEYS} keys, its changelog as
     * the run says.
     */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> updated(final StoreBuilder<KeyValueStore<K, V>> store) {
        return appendOnly(new WriteBackStoreBuilder<>(store, beneath -> new WriteBackStore<>(beneath, HELD_KEYS)));
    }

    /** The same for a window store whose values are updated ({@link WriteBackWindowStore}). */
    public <K, V> StoreBuilder<WindowStore<K, V>> updatedWindows(final StoreBuilder<WindowStore<K, V>> store) {
        return appendOnly(new WriteBackStoreBuilder<>(store,
                beneath -> new WriteBackWindowStore<>(beneath, HELD_KEYS)));
    }

    /** Whether every store keeps a changelog: false only for a run whose state is new and thrown away after. */
    public boolean changelogs() {
        return changelogs;
    }

    /**
     * A store each of whose entries is written once and only read after: holding them would coalesce nothing.
     */
    public <T extends StateStore> StoreBuilder<T> appendOnly(final StoreBuilder<T> store) {
        return changelogs ? store.withLoggingEnabled(CHANGELOG_CONFIGS) : store.withLoggingDisabled();
    }

    /**
     * A key-value store named {@code name}: RocksDB when the run keeps changelogs, the heap when its state is new and
     * thrown away after ({@link HeapState}).
     */
    public KeyValueBytesStoreSupplier keyValue(final String name) {
        return changelogs ? Stores.persistentKeyValueStore(name) : heap.keyValue(name);
    }

    /** The same for a window store of windows of {@code windowSize}, kept for {@code retention}. */
    public WindowBytesStoreSupplier window(final String name, final Duration retention, final Duration windowSize) {
        return changelogs ? Stores.persistentWindowStore(name, retention, windowSize, false)
                : heap.window(name, retention, windowSize);
    }

    /**
     * The processor of {@code task} is being initialised, over stores that {@code empty} tells about. Without
     * changelogs, a task that had state and now has none lost it: this throws, so that the run stops instead of
     * billing from empty stores.
     */
    public void opened(final TaskId task, final BooleanSupplier empty) {
        if (!changelogs && withState.contains(task) && empty.getAsBoolean()) {
            throw new IllegalStateException("task " + task + " was opened again without the state it had, in a run "
                    + "without changelogs (Kafka Streams closed it on an error): the run stops; start it again");
        }
    }

    /** The processor of {@code task} has written state: from now on, its stores must not come back empty. */
    public void wroteState(final TaskId task) {
        if (!changelogs) {
            withState.add(task);
        }
    }
}
