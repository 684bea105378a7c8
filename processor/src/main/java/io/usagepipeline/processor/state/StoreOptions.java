package io.usagepipeline.processor.state;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * How one run of the processor builds its stores: behind the Streams record cache or not (its profile's choice), and
 * with changelogs or not.
 *
 * <p>A processor that runs on keeps a changelog for every store: that is how its state comes back after a failure or
 * on another instance. A replay does not need them: it runs once, into a state directory of its own that is deleted
 * afterwards, and starts over when it fails. Without them it writes a changelog record for each observation and poll
 * less (3.5 of the 3.8 records it writes per raw poll), which made it half again as fast. The price is that a task
 * whose state is lost cannot get it back: Kafka Streams would resume it from its last commit with a wiped or a
 * half-written store, and bill wrongly without a word. So a run without changelogs refuses a task initialised a second
 * time ({@link #initialised}), which is what Kafka Streams does after closing a task dirty, and the replay fails.
 */
public final class StoreOptions {

    private final boolean cached;
    private final boolean changelogs;
    private final Set<TaskId> initialised = ConcurrentHashMap.newKeySet();

    /**
     * @param cached     stores whose values are updated go behind the record cache
     * @param changelogs every store keeps a changelog (anything that runs on); false only for a run that starts over
     *                   when it fails
     */
    public StoreOptions(final boolean cached, final boolean changelogs) {
        this.cached = cached;
        this.changelogs = changelogs;
    }

    /** A store whose values are updated: cached when the run caches, its changelog as the run says. */
    public <T extends StateStore> StoreBuilder<T> updated(final StoreBuilder<T> store) {
        return appendOnly(cached ? store.withCachingEnabled() : store);
    }

    /**
     * A store each of whose entries is written once and only read after: the record cache would have nothing to
     * coalesce, and it costs.
     */
    public <T extends StateStore> StoreBuilder<T> appendOnly(final StoreBuilder<T> store) {
        return changelogs ? store : store.withLoggingDisabled();
    }

    /**
     * A processor of {@code task} is being initialised. Without changelogs a second time means the task was closed and
     * opened again, and its state may be gone or hold writes that were never committed: this throws, so that the run
     * stops instead of billing from it.
     */
    public void initialised(final TaskId task) {
        if (!changelogs && !initialised.add(task)) {
            throw new IllegalStateException("task " + task + " was opened a second time in a run without changelogs: "
                    + "its state cannot be trusted, so the run stops; start it again");
        }
    }
}
