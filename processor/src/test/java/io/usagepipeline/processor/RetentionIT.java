package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.BillingRecords;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.DlqReason;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a processor writes while it works through polls older than a topic's retention (an imported history, a
 * processor catching up after a long stop) stays for that retention counted from when it was written. The broker
 * deletes a segment by the time stamps of its records: stamped with the poll's time, a window store's changelog went
 * at the log cleaner's next pass, and a processor restored from it (a new instance, a crash under exactly-once)
 * recomputed a restated day from a history that lacked it; a DLQ record went at the next retention check. Here the
 * broker checks every half second instead of every 5 minutes (retention) and 15 s (log cleaner): an embedded broker of
 * this class's own, so that it does whichever broker the other ITs are given ({@code -Dkafka.broker}).
 */
@Timeout(300) // a hung test fails here, not at CI's limit
class RetentionIT {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.builder().retentionEvery(Duration.ofMillis(500)).build().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldRestateAnOldDayFromAStateRestoredAfterTheBrokersRetentionRan(@TempDir final Path dir)
            throws Exception {
        final String prefix = "retention.";
        final String applicationId = prefix + "app";
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
        try (Admin admin = Admin.create(client)) {
            new TopicProvisioner(admin, prefix, 1, 0).ensureAll();
            try (UsageProcessor first = processor(config, applicationId, client, dir.resolve("first"))) {
                first.start();
                // two days of 4 workloads (AwsHours.DAY is months before today): the first day closes FINAL
                AwsHours.send(kafka, prefix, 0, 36, 4);
                AwsHours.awaitObservations(kafka, prefix, 36);
                first.closeAndLeaveGroup(Duration.ofSeconds(30)); // the second need not wait out its session
            }
            awaitDeletionPasses(admin, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
            final List<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(topic -> topic.startsWith(applicationId) && topic.endsWith("-changelog")).toList();
            assertThat(changelogs).contains(applicationId + "-history-window-store-changelog",
                    applicationId + "-dedup-store-changelog");

            // another instance (or this one after a crash) restores the state from the changelogs alone
            try (UsageProcessor second = processor(config, applicationId, client, dir.resolve("second"))) {
                second.start();
                // a second copy of the 05:00 poll, and a poll of 10 workloads at 09:30 of the closed first day
                AwsHours.send(kafka, prefix, List.of(Polls.aws(AwsHours.DAY.plus(Duration.ofHours(5)), 4),
                        Polls.aws(AwsHours.DAY.plus(Duration.ofMinutes(9 * 60 + 30)), 10)));
                final String dayKey = firstDayKey(client, prefix);
                await("the first day restated").atMost(Duration.ofSeconds(120)).until(() -> BillingRecords
                        .latest(client, Topics.BILLING_RECORDS.name(prefix), record -> true).get(dayKey)
                        .status() == RecordStatus.RESTATED);
            }
            assertRestatedDay(client, prefix);
            assertThat(earliestOffsets(admin, changelogs)).as("changelog records deleted by the broker")
                    .allSatisfy((partition, offset) -> assertThat(offset).as("%s", partition).isZero());
        }
    }

    /**
     * The changelogs an earlier version created (stamped with stream time) are changed when the processor starts; a
     * topic of another application whose id begins with this one's is not.
     */
    @Test
    void shouldHaveTheBrokerStampTheChangelogsAnEarlierVersionCreated(@TempDir final Path dir) throws Exception {
        final String prefix = "upgraded.";
        final String applicationId = prefix + "app";
        final String history = applicationId + "-history-window-store-changelog";
        final String another = applicationId + "-eu-history-window-store-changelog";
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            new TopicProvisioner(admin, prefix, 1, 0).ensureAll();
            // as Kafka Streams created them before: compact,delete, stamped by the producer
            admin.createTopics(Stream.of(history, another).map(topic -> new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete",
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"))).toList()).all().get();
            final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
            try (UsageProcessor processor = processor(config, applicationId, client, dir)) {
                processor.start();
                assertThat(timestampType(admin, history)).isEqualTo("LogAppendTime");
                assertThat(processor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            }
            final List<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(topic -> topic.startsWith(applicationId) && topic.endsWith("-changelog")
                            && !topic.equals(another)).toList();
            assertThat(changelogs).hasSizeGreaterThan(1).allSatisfy(topic ->
                    assertThat(timestampType(admin, topic)).as(topic).isEqualTo("LogAppendTime"));
            assertThat(timestampType(admin, another)).isEqualTo("CreateTime");
        }
    }

    private static String timestampType(final Admin admin, final String topic) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
    }

    /** A bad record of a poll older than the DLQ's retention stays on the DLQ for that retention from now. */
    @Test
    void shouldKeepADlqRecordOfAnOldPoll(@TempDir final Path dir) throws Exception {
        final String prefix = "dlq-retention.";
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
        try (Admin admin = Admin.create(client)) {
            new TopicProvisioner(admin, prefix, 1, 0).ensureAll();
            try (UsageProcessor processor = processor(config, prefix + "app", client, dir)) {
                processor.start();
                sendStampedWithTheFirstDay(Topics.RAW.name(prefix), "aws-acme/licensedWorkloads/-", "{not json");
                await("the DLQ record").atMost(Duration.ofSeconds(120))
                        .until(() -> CommittedRecords.count(client, Topics.DLQ.name(prefix)) == 1);
            }
            awaitDeletionPasses(admin, TopicConfig.CLEANUP_POLICY_DELETE);
        }
        assertThat(CommittedRecords.values(client, Topics.DLQ.name(prefix), Topics.DLQ.valueSerde().deserializer()))
                .singleElement().satisfies(record -> {
                    assertThat(record.reason()).isEqualTo(DlqReason.MALFORMED_RECORD);
                    assertThat(record.timestamp()).as("the bad record's own time").isEqualTo(AwsHours.DAY);
                    assertThat(record.payload()).isEqualTo("{not json");
                });
    }

    private static void assertRestatedDay(final Map<String, Object> client, final String prefix) {
        final PeriodRecord day = BillingRecords.latest(client, Topics.BILLING_RECORDS.name(prefix),
                record -> record.granularity() == Granularity.DAY && record.periodStart().equals(AwsHours.DAY))
                .firstEntry().getValue();
        // 4 workloads all day, 10 from 09:30 to the 10:00 poll: 4 × 24 + 6 × 0.5
        assertThat(day.revision()).isEqualTo(2);
        assertThat(day.unitHours()).isEqualByComparingTo(new BigDecimal("99"));
        assertThat(day.peakUnits()).isEqualByComparingTo(new BigDecimal("10"));
        assertThat(day.samples()).isEqualTo(25);
        assertThat(day.coverage()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(CommittedRecords.count(client, Topics.OBSERVATIONS.name(prefix)))
                .as("the second copy of a poll is dropped: its pollId came back with the state").isEqualTo(37);
    }

    private static UsageProcessor processor(final ProcessorConfig config, final String applicationId,
                                            final Map<String, Object> client, final Path stateDir) {
        return new UsageProcessor(config, new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig(applicationId, client, stateDir, Profile.LIVE), config.topicPrefix(),
                Profile.LIVE, Run.SERVICE);
    }

    /** The period key of the first day's record. */
    private static String firstDayKey(final Map<String, Object> client, final String prefix) {
        return BillingRecords.latest(client, Topics.BILLING_RECORDS.name(prefix),
                record -> record.granularity() == Granularity.DAY && record.periodStart().equals(AwsHours.DAY))
                .firstKey();
    }

    /**
     * Waits for two passes of the broker over the topics of a cleanup policy (the first may have been under way): a
     * record stamped with the first day, on a topic of that policy that keeps records for a minute, is deleted in each.
     */
    private static void awaitDeletionPasses(final Admin admin, final String cleanupPolicy) throws Exception {
        final String witness = "witness." + cleanupPolicy.replace(',', '-');
        admin.createTopics(List.of(new NewTopic(witness, 1, (short) 1).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.RETENTION_MS_CONFIG, "60000")))).all().get();
        for (int pass = 0; pass < 2; pass++) {
            final long offset = sendStampedWithTheFirstDay(witness, "x", "x");
            await("a pass of the broker over " + cleanupPolicy + " topics").atMost(Duration.ofSeconds(60))
                    .until(() -> earliestOffsets(admin, List.of(witness)).values().stream()
                            .allMatch(earliest -> earliest > offset));
        }
    }

    /** Sends one text record stamped with the first day of the polls; returns its offset. */
    private static long sendStampedWithTheFirstDay(final String topic, final String key, final String value)
            throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, null, AwsHours.DAY.toEpochMilli(), key, value)).get()
                    .offset();
        }
    }

    private static Map<TopicPartition, Long> earliestOffsets(final Admin admin, final List<String> topics)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                .forEach(partition -> earliest.put(new TopicPartition(topic, partition.partition()),
                        OffsetSpec.earliest())));
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(earliest).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
