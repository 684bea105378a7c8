package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Raw polls in, billing records out, under exactly-once on a real broker, read as the sink reads them. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ProcessorIT {

    @Test
    void shouldTurnRawPollsIntoCommittedBillingRecords(final KafkaBroker kafka, @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "eos.";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
        final Instant day = Instant.parse("2026-03-10T00:00:00Z");
        try (KafkaProducer<String, RawPoll> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Topics.RAW.keySerde().serializer(), Topics.RAW.valueSerde().serializer())) {
            for (int hour = 0; hour < 24; hour++) {
                send(producer, prefix, Polls.aws(day.plus(Duration.ofHours(hour)), hour < 12 ? 4 : 6));
            }
            send(producer, prefix, Polls.aws(Instant.parse("2026-03-11T03:00:00Z"), 6));
            producer.flush();
        }

        final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
        try (UsageProcessor processor = new UsageProcessor(config,
                new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig("processor-it", Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        stateDir))) {
            processor.start();
            assertThat(processor.awaitRunning(Duration.ofSeconds(60))).isTrue();

            final List<PeriodRecord> records = new CopyOnWriteArrayList<>();
            try (KafkaConsumer<String, PeriodRecord> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "processor-it-reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    Topics.BILLING_RECORDS.keySerde().deserializer(),
                    Topics.BILLING_RECORDS.valueSerde().deserializer())) {
                consumer.subscribe(List.of(Topics.BILLING_RECORDS.name(prefix)));
                final String dayKey = Keys.periodKey("acme|aws-acme|AWS_EC2_INSTANCE", Granularity.DAY, day);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(record.value()));
                    return records.stream().anyMatch(record -> record.periodKey().equals(dayKey));
                });
                final PeriodRecord record = records.stream().filter(r -> r.periodKey().equals(dayKey)).findFirst()
                        .orElseThrow();
                // 12 h at 4 + 12 h at 6
                assertThat(record.status()).isEqualTo(RecordStatus.FINAL);
                assertThat(record.unitHours()).isEqualByComparingTo("120");
                assertThat(record.avgUnits()).isEqualByComparingTo("5");
                assertThat(record.peakUnits()).isEqualByComparingTo("6");
                assertThat(record.coverage()).isEqualByComparingTo("1");
            }
        }
    }

    private static void send(final KafkaProducer<String, RawPoll> producer, final String prefix, final RawPoll poll) {
        producer.send(new ProducerRecord<>(Topics.RAW.name(prefix), null, poll.polledAt().toEpochMilli(),
                poll.pollTarget(), poll));
    }
}
