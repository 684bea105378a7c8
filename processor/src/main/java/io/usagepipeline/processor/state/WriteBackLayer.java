package io.usagepipeline.processor.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * What {@link WriteBackStore} and {@link WriteBackWindowStore} share: when what they hold goes beneath (the flush
 * before a commit or a clean close, and the commit itself), when it is dropped (a rollback, a close after an error),
 * and everything else of the store, which is the store beneath's. {@link CachedStateStore} is Kafka Streams'
 * internal interface for its own caching layer (4.3), the only way a store learns of a commit before the transaction
 * ends; an upgrade of Kafka Streams must check that {@code ProcessorStateManager.flushCache} still calls it.
 */
abstract class WriteBackLayer<S extends StateStore, K, V, H> implements StateStore, CachedStateStore<K, V> {

    final S beneath;
    /** What is held per key since the last flush, the least recently used first. */
    final LinkedHashMap<K, H> held;

    /** @param capacity the keys held at most: past that, the one used longest ago is written beneath at once */
    WriteBackLayer(final S beneath, final int capacity) {
        this.beneath = beneath;
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<K, H> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                writeBeneath(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    /** Writes what is held for {@code key} to the store beneath. */
    abstract void writeBeneath(K key, H value);

    /** Writes everything held to the store beneath and holds nothing. */
    final void writeHeld() {
        held.forEach(this::writeBeneath); // iterating does not reorder an access-ordered map; writing beneath neither
        held.clear();
    }

    private void dropHeld() {
        held.clear();
    }

    /** Before a commit or a clean close: everything held goes to the store beneath, and on to its changelog. */
    @Override
    public void flushCache() {
        writeHeld();
    }

    /** The task's state is rolled back: what is held was never committed. */
    @Override
    public void clearCache() {
        dropHeld();
    }

    @Override
    public boolean setFlushListener(final CacheFlushListener<K, V> listener, final boolean sendOldValues) {
        return false; // no node downstream reads these stores' flushes
    }

    @Override
    public void commit(final Map<TopicPartition, Long> changelogOffsets) {
        writeHeld();
        beneath.commit(changelogOffsets);
    }

    @Override
    public String name() {
        return beneath.name();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        dropHeld();
        beneath.init(context, root);
    }

    /** Closed without a flush before it (an error): what was held goes, as Kafka Streams drops the rest. */
    @Override
    public void close() {
        dropHeld();
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
