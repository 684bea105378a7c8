package io.usagepipeline.sink;

import java.time.Duration;
import java.util.Objects;

/**
 * @param topicPrefix   prefix of the topic names
 * @param sinkName      the consumer group (for lag monitoring) and the owner of the stored offsets
 * @param batchSize     records per write at most
 * @param maxBatchDelay how long a record may wait for its batch to fill before it is written anyway
 */
public record SinkConfig(String topicPrefix, String sinkName, int batchSize, Duration maxBatchDelay) {

    public SinkConfig {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(sinkName, "sinkName");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    }
}
