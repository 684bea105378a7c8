package io.usagepipeline.processor.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * What the processor changes in Kafka Streams' RocksDB settings: the threads a store opens its files with.
 *
 * <p>A store is one RocksDB database, and every task opens one per store (a window store one per segment): the
 * bench's replay opens 18 at its start and more as its windows' segments begin. RocksDB opens a database's table files
 * with up to {@code max_file_opening_threads} threads (16 by default), and starts those threads on every open, whether
 * there is a file to open or not: 16 threads were started and ended for each new database, a third of its 9.5 ms open
 * on the two-core build machine (6.2 ms with one thread); each task of the bench's replay started 13 ms sooner (30
 * against 43.5 ms). A store of this processor has a few table files (its state is bounded by the horizon), which one
 * thread opens as fast.
 */
public final class RocksDbSettings implements RocksDBConfigSetter {

    /** Threads a store opens its table files with. */
    private static final int FILE_OPENING_THREADS = 1;

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        options.setMaxFileOpeningThreads(FILE_OPENING_THREADS);
    }

    @Override
    public void close(final String storeName, final Options options) {
        // nothing allocated here to release
    }
}
