package io.usagepipeline.processor.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * What the processor changes in RocksDB's own defaults for its stores (Kafka Streams' {@code rocksdb.config.setter},
 * set by {@code UsageProcessor.streamsConfig}).
 *
 * <p>RocksDB opens a database's table files with up to {@code max_file_opening_threads} threads, 16 by default, and
 * starts and joins all of them at every open, whether there are files to open or not. A stream thread opens its
 * tasks' RocksDB stores one after another (five to ten per task, and a window store's segments as stream time
 * reaches them: 48 databases in the bench's replay while its stores were on disk), and the stores are small, the
 * horizon bounds them. Those threads were about a third of each open (3 of 9 ms on two cores, RocksJava with Kafka
 * Streams' options). One thread opens a store's files, as its stream thread does everything else
 * (bench/MEASUREMENTS.md, 2026-12-06). A run without changelogs has its stores in the heap ({@link HeapState}).
 */
public final class RocksDbSettings implements RocksDBConfigSetter {

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        options.setMaxFileOpeningThreads(1);
    }

    @Override
    public void close(final String storeName, final Options options) {
        // nothing was allocated for the store
    }
}
