package io.usagepipeline.sink;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * An output of the sink. Each writer keeps its own positions durably with what it wrote, so that after any crash it
 * resumes exactly after the last record it made durable: nothing lost, nothing written twice.
 */
public interface BillingWriter extends AutoCloseable {

    /** A short name for logs and metrics, e.g. "files" or "postgresql". */
    String name();

    /** The next offset to apply per partition, as durably recorded; partitions never written are absent. */
    Map<TopicPartition, Long> positions() throws Exception;

    /**
     * Applies records in offset order per partition, all or nothing together with the new positions. The sink only
     * passes records at or after {@link #positions()}.
     */
    void write(List<SinkRecord> records) throws Exception;

    @Override
    void close() throws Exception;
}
