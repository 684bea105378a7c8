package io.usagepipeline.sink;

import java.time.Duration;
import java.util.Objects;

/**
 * @param topicPrefix   prefix of the topic names
 * @param sinkName      the consumer group (for lag monitoring) and the owner of the stored offsets
 * @param batchSize     records per write at most
 * @param maxBatchDelay how long a record may wait for its batch to fill before it is written anyway
 * @param resetOutput   forget what every output holds and rebuild it from the beginning of the topics
 */
public record SinkConfig(String topicPrefix, String sinkName, int batchSize, Duration maxBatchDelay,
                         boolean resetOutput) {

    public SinkConfig {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(sinkName, "sinkName");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    }

    /** The same sink resuming every output from its own positions: what it opens again after a database outage. */
    public SinkConfig resuming() {
        return new SinkConfig(topicPrefix, sinkName, batchSize, maxBatchDelay, false);
    }

    /** Resumes every output from its own positions. */
    public SinkConfig(final String topicPrefix, final String sinkName, final int batchSize,
                      final Duration maxBatchDelay) {
        this(topicPrefix, sinkName, batchSize, maxBatchDelay, false);
    }
}
