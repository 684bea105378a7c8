package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** The records a Kafka Streams client's stream threads have yet to read, from their consumers' lag metrics. */
class ConsumerLagTest {

    private static final String MAIN = "app-1-StreamThread-1-consumer";
    private final Map<MetricName, Metric> metrics = new HashMap<>();

    @Test
    void shouldSumThePartitionsOfTheStreamThreadsConsumersCountingEachOnce() {
        // the consumer registers a dotted topic's partitions twice: under its name, and with underscores
        lag(MAIN, "usage.raw.v1", 0, 100);
        lag(MAIN, "usage_raw_v1", 0, 100);
        lag(MAIN, "usage.raw.v1", 1, 40);
        lag(MAIN, "usage_raw_v1", 1, 40);
        lag("app-1-StreamThread-2-consumer", "usage.raw.v1", 2, 7);
        lag("app-1-StateUpdater-1-restore-consumer", "app-series-store-changelog", 0, 5_000);
        lag(MAIN, "usage.raw.v1", 3, Double.NaN); // not fetched yet

        assertThat(ConsumerLag.ofStreams(metrics)).isEqualTo(OptionalLong.of(147));
    }

    @Test
    void shouldKnowNothingBeforeTheConsumersHaveFetched() {
        lag(MAIN, "usage.raw.v1", 0, Double.NaN);
        lag("app-1-StateUpdater-1-restore-consumer", "app-series-store-changelog", 0, 5_000);

        assertThat(ConsumerLag.ofStreams(metrics)).isEmpty();
    }

    private void lag(final String client, final String topic, final int partition, final double value) {
        final MetricName name = new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", client, "topic", topic, "partition", String.valueOf(partition)));
        metrics.put(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
