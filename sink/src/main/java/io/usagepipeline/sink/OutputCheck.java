package io.usagepipeline.sink;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/** Decides whether an output's checkpoint belongs to the Kafka history a sink is about to read. */
final class OutputCheck {

    private OutputCheck() {
    }

    /**
     * What differs between the history an output was written from and the live one, or empty when the output may
     * resume from its positions.
     *
     * @param logEnds the live log end (high watermark) of every partition the sink reads
     */
    static Optional<String> mismatch(final Checkpoint checkpoint, final SourceIdentity live,
                                     final Map<TopicPartition, Long> logEnds) {
        final SourceIdentity stored = checkpoint.readFrom();
        if (stored != null) {
            if (!stored.clusterId().equals(live.clusterId())) {
                return Optional.of("it was written from Kafka cluster " + stored.clusterId()
                        + ", but this Kafka is cluster " + live.clusterId());
            }
            for (final Map.Entry<String, String> topic : live.topicIds().entrySet()) {
                final String then = stored.topicIds().get(topic.getKey());
                if (then != null && !then.equals(topic.getValue())) {
                    return Optional.of("topic " + topic.getKey() + " was recreated since it was written (topic id "
                            + then + " then, " + topic.getValue() + " now)");
                }
            }
        }
        for (final Map.Entry<TopicPartition, Long> position : checkpoint.positions().entrySet()) {
            final TopicPartition partition = position.getKey();
            if (!live.topicIds().containsKey(partition.topic())) {
                continue; // another prefix's topics: not what this sink reads
            }
            final Long end = logEnds.get(partition);
            if (end == null) {
                return Optional.of("it has read partition " + partition + ", which this Kafka does not have");
            }
            if (position.getValue() > end) {
                return Optional.of("it has read " + partition + " up to offset " + position.getValue()
                        + ", beyond that partition's end (" + end + ") in this Kafka");
            }
        }
        return Optional.empty();
    }
}
