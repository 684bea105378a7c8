package io.usagepipeline.events;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * How many records a Kafka Streams client's stream threads have yet to read from their source topics, from their
 * consumers' own per-partition lag metrics: what a processor or rater working through a backlog reports.
 */
public final class ConsumerLag {

    private ConsumerLag() {
    }

    /**
     * The sum of {@code records-lag} over the partitions the stream threads' consumers read; empty until they have
     * fetched from any (while joining the group and restoring state). The restore and global consumers read
     * changelogs, not input, and are left out. The consumer registers each partition's lag twice for a topic whose
     * name has a dot, once under the name and once with the dots as underscores: each partition counts once.
     */
    public static OptionalLong ofStreams(final Map<MetricName, ? extends Metric> metrics) {
        final Map<String, Long> byPartition = new HashMap<>();
        for (final Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            final MetricName name = metric.getKey();
            final String client = name.tags().getOrDefault("client-id", "");
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && name.tags().containsKey("partition") && client.endsWith("-consumer")
                    && !client.endsWith("-restore-consumer") && !client.endsWith("-global-consumer")
                    && metric.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                byPartition.put(client + "|" + name.tags().getOrDefault("topic", "").replace('.', '_') + "|"
                        + name.tags().get("partition"), value.longValue());
            }
        }
        return byPartition.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(byPartition.values().stream().mapToLong(Long::longValue).sum());
    }
}
