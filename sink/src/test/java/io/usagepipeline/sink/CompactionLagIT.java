package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every revision of a billing record stays readable on {@code billing.records.v1} for the compaction lag, also when
 * the records carry historical timestamps, as a replay or a raw import writes them. A topic without the contract's
 * settings, on the same broker and with the same records, shows that the cleaner does remove a superseded FINAL
 * within seconds otherwise.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class CompactionLagIT {

    /** What makes the cleaner act at once in a test: tiny segments, any dirt worth cleaning. */
    private static final Map<String, String> EAGER = Map.of(TopicConfig.SEGMENT_MS_CONFIG, "1",
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01", TopicConfig.DELETE_RETENTION_MS_CONFIG, "1");

    @Test
    void shouldKeepASupersededFinalOfAReplayedMonthReadable() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder()
                .brokerProperty("log.cleaner.backoff.ms", "100").build().start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            final Map<String, String> contract = new HashMap<>(Topics.BILLING_RECORDS.configs());
            contract.putAll(EAGER);
            final Map<String, String> bare = new HashMap<>(EAGER);
            bare.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            admin.createTopics(List.of(new NewTopic("contract", 1, (short) 1).configs(contract),
                    new NewTopic("bare", 1, (short) 1).configs(bare))).all().get();

            // a replayed March: FINAL, then RESTATED, stamped with stream time as the processor stamps them
            final PeriodRecord finalRecord = Records.billing("acme", Records.DAY, 1, "96");
            final PeriodRecord restated = Records.billing("acme", Records.DAY, 2, "102");
            for (final String topic : List.of("contract", "bare")) {
                produce(kafka, topic, finalRecord, Records.DAY.plus(Duration.ofDays(1)));
                produce(kafka, topic, restated, Records.DAY.plus(Duration.ofDays(2)));
                for (int i = 0; i < 3; i++) { // later transactions: the revisions' segments are no longer active
                    produce(kafka, topic, Records.billing("other-" + i, Records.DAY, 1, "1"),
                            Records.DAY.plus(Duration.ofDays(3 + i)));
                }
            }

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> revisionsOfAcme(kafka, "bare").equals(List.of(2)));
            assertThat(revisionsOfAcme(kafka, "contract")).as("every revision, in order").containsExactly(1, 2);
        }
    }

    private static void produce(final EmbeddedKafkaBroker kafka, final String topic, final PeriodRecord record,
                                final Instant streamTime) {
        Transactions.send(kafka.bootstrapServers(), Topics.BILLING_RECORDS, List.of(new ProducerRecord<>(topic, null,
                streamTime.toEpochMilli(), record.periodKey(), record)), true);
    }

    /** The revisions of acme's record the topic holds now, in offset order. */
    private static List<Integer> revisionsOfAcme(final EmbeddedKafkaBroker kafka, final String topic) {
        final List<Integer> revisions = new ArrayList<>();
        try (KafkaConsumer<String, PeriodRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.BILLING_RECORDS.keySerde().deserializer(), Topics.BILLING_RECORDS.valueSerde().deserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value() != null && record.value().tenantId().equals("acme")) {
                        revisions.add(record.value().revision());
                    }
                });
            }
        }
        return revisions;
    }
}
