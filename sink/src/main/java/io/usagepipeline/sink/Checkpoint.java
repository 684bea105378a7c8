package io.usagepipeline.sink;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What an output has durably recorded about its input.
 *
 * @param readFrom  the cluster and topics its positions were read from; null for an output that has never been
 *                  bound to one (new, or written by a version that did not record it)
 * @param positions the next offset to apply per partition; partitions never written are absent
 */
public record Checkpoint(SourceIdentity readFrom, Map<TopicPartition, Long> positions) {

    public Checkpoint {
        positions = Map.copyOf(positions);
    }
}
