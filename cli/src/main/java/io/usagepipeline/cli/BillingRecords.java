package io.usagepipeline.cli;

import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The latest revision of every billing record on a {@code billing.records.v1} topic, as a consumer of the contract
 * sees it: committed records only, read from the beginning up to the end the topic had when reading started.
 */
final class BillingRecords {

    private static final Duration POLL = Duration.ofMillis(500);

    private BillingRecords() {
    }

    /**
     * @param kafka  client properties (bootstrap, security)
     * @param topic  the billing topic to read
     * @param wanted which records to keep
     * @return by period key, sorted, the highest revision of each wanted record
     */
    static TreeMap<String, PeriodRecord> latest(final Map<String, Object> kafka, final String topic,
                                                final Predicate<PeriodRecord> wanted) {
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final TreeMap<String, PeriodRecord> latest = new TreeMap<>();
        try (KafkaConsumer<String, PeriodRecord> consumer = new KafkaConsumer<>(props,
                Topics.BILLING_RECORDS.keySerde().deserializer(), Topics.BILLING_RECORDS.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (final ConsumerRecord<String, PeriodRecord> record : consumer.poll(POLL)) {
                    final PeriodRecord value = record.value();
                    if (value == null || !wanted.test(value)) {
                        continue;
                    }
                    latest.merge(record.key(), value, (a, b) -> b.revision() > a.revision() ? b : a);
                }
            }
        }
        return latest;
    }
}
