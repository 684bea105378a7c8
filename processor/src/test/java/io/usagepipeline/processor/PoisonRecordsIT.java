package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.DlqReason;
import io.usagepipeline.events.DlqRecord;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on a real broker: records that once stopped the processor in a crash loop, billed absurd figures
 * or closed every open period early each go to the DLQ, named, while the instance keeps running and bills the good
 * polls around them exactly as it would without them.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class PoisonRecordsIT {

    private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
    private static final String PREFIX = "poison.";

    @Test
    void shouldSendEveryPoisonRecordToTheDlqAndBillTheRestAsIfItWasNotThere(final KafkaBroker kafka,
                                                                           @TempDir final Path stateDir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, PREFIX, 3, 0).ensureAll();
        }
        final byte[] controlCharacters = new byte[12 * 1024 * 1024];
        Arrays.fill(controlCharacters, (byte) 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int hour = 0; hour < 24; hour++) {
                send(producer, Polls.aws(DAY.plus(Duration.ofHours(hour)), hour < 12 ? 4 : 6));
                if (hour == 6) {
                    // the poison, among the good polls of the same target and others
                    send(producer, "vac-eu/backupServerUsage/2", text(Polls.vac(DAY.plusSeconds(60), "VBR_A", 7))
                            .replace("\"usedInstances\":7", "\"usedInstances\":1e1000000000").getBytes(
                                    StandardCharsets.UTF_8), DAY.plusSeconds(60));
                    send(producer, "vac-eu/backupServerUsage/2", controlCharacters, DAY.plusSeconds(90));
                    send(producer, Polls.vac(DAY.plusSeconds(120), "VBR_A", "1e400"));
                    // polled days ahead (a broken clock on the collector's host); the broker refuses record
                    // timestamps over an hour ahead by default, so this one is stamped like its neighbours
                    final RawPoll ahead = Polls.aws(Instant.now().plus(Duration.ofDays(3)), 9);
                    send(producer, ahead.pollTarget(), Topics.RAW.valueSerde().serializer().serialize("raw", ahead),
                            DAY.plus(Duration.ofHours(hour)).plusSeconds(150));
                }
            }
            send(producer, Polls.vac(DAY.plus(Duration.ofHours(3)), "VBR_A", 2));
            send(producer, Polls.aws(Instant.parse("2026-03-11T03:00:00Z"), 6));
            send(producer, Polls.vac(Instant.parse("2026-03-11T03:00:00Z"), "VBR_A", 2));
            producer.flush();
        }

        try (UsageProcessor processor = new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix(PREFIX),
                new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig("poison-it", Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        stateDir))) {
            processor.start();
            final List<DlqRecord> dlq = new CopyOnWriteArrayList<>();
            final List<PeriodRecord> billing = new CopyOnWriteArrayList<>();
            try (KafkaConsumer<String, DlqRecord> dlqReader = reader(kafka, Topics.DLQ.valueSerde().deserializer(),
                    Topics.DLQ.name(PREFIX));
                 KafkaConsumer<String, PeriodRecord> billingReader = reader(kafka,
                         Topics.BILLING_RECORDS.valueSerde().deserializer(), Topics.BILLING_RECORDS.name(PREFIX))) {
                final String dayKey = Keys.periodKey("acme|aws-acme|AWS_EC2_INSTANCE", Granularity.DAY, DAY);
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    dlqReader.poll(Duration.ofMillis(100)).forEach(record -> dlq.add(record.value()));
                    billingReader.poll(Duration.ofMillis(100)).forEach(record -> billing.add(record.value()));
                    return dlq.size() >= 4 && billing.stream().filter(record -> record.granularity() == Granularity.DAY)
                            .count() >= 2;
                });

                // still running: a rebalance at this instant (a task's producer fenced and recreated) is no stop
                assertThat(processor.state().isRunningOrRebalancing()).as("state " + processor.state()).isTrue();
                assertThat(dlq).extracting(DlqRecord::reason).containsExactlyInAnyOrder(DlqReason.IMPLAUSIBLE_FIGURE,
                        DlqReason.MALFORMED_RECORD, DlqReason.IMPLAUSIBLE_FIGURE, DlqReason.AHEAD_OF_CLOCK);
                assertThat(dlq).filteredOn(record -> record.reason() == DlqReason.MALFORMED_RECORD).singleElement()
                        .satisfies(record -> assertThat(record.detail()).contains("of 12582912 bytes; SHA-256"));
                // the day closed once, on time, with the good polls' figures: 12 h at 4 + 12 h at 6
                assertThat(billing).filteredOn(record -> record.periodKey().equals(dayKey)).singleElement()
                        .satisfies(record -> {
                            assertThat(record.revision()).isEqualTo(1);
                            assertThat(record.unitHours()).isEqualByComparingTo("120");
                            assertThat(record.peakUnits()).isEqualByComparingTo("6");
                        });
                // the VAC day holds the good level alone (2 from 03:00 for maxGap, 3 h), not the refused 1e400
                assertThat(billing).filteredOn(record -> record.licenseType().equals("VBR_A")
                        && record.granularity() == Granularity.DAY).singleElement().satisfies(record -> {
                            assertThat(record.peakUnits()).isEqualByComparingTo("2");
                            assertThat(record.unitHours()).isEqualByComparingTo("6");
                        });
            }
        }
    }

    private static <V> KafkaConsumer<String, V> reader(final KafkaBroker kafka,
                                                       final Deserializer<V> values,
                                                       final String topic) {
        final KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poison-it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.DLQ.keySerde().deserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static String text(final RawPoll poll) {
        return new String(Topics.RAW.valueSerde().serializer().serialize("raw", poll), StandardCharsets.UTF_8);
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final RawPoll poll) throws Exception {
        send(producer, poll.pollTarget(), Topics.RAW.valueSerde().serializer().serialize("raw", poll),
                poll.polledAt());
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final String key, final byte[] value,
                             final Instant at) throws Exception {
        producer.send(new ProducerRecord<>(Topics.RAW.name(PREFIX), null, at.toEpochMilli(), key, value)).get();
    }
}
