package io.usagepipeline.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.Fixtures.Figures;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.HealthBounds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rater as a service when one of its source topics goes missing from Kafka's metadata, as it may for a moment
 * while a broker restarts: it starts again once the topic is back, and gives up (exit 1) only once the topic has been
 * missing for its bound. Each check calls {@code ended()} as the runner does, since that is where a new rater starts.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class RaterServiceIT {

    @Test
    void shouldStartAgainWhenItsSourceTopicComesBack(final KafkaBroker kafka, @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "rater-back.";
        try (Admin admin = admin(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            final RaterService service = service(kafka, prefix, stateDir, Duration.ofMinutes(3));
            try {
                service.start();
                awaitReady(service);

                admin.deleteTopics(List.of(Topics.REPORTS.name(prefix))).all().get();
                await("down, saying why").atMost(Duration.ofSeconds(120)).until(() -> {
                    assertThat(service.ended()).isEmpty();
                    return !service.health().up()
                            && service.health().reason().contains("missing from Kafka's metadata");
                });

                new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
                awaitReady(service);
                // the card's CC_* line: 10 last units at 3.00, less 10% for acme
                final PeriodRecord month = Fixtures.month("acme", "vbr-1", "CC_VM", "2026-03", 1,
                        Figures.units("10", "10", "10", "7440"));
                try (KafkaProducer<String, PeriodRecord> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        Topics.BILLING_RECORDS.keySerde().serializer(),
                        Topics.BILLING_RECORDS.valueSerde().serializer())) {
                    producer.send(new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix), month.periodKey(),
                            month)).get();
                }
                final ChargeLine line = awaitLine(kafka, prefix, service, Keys.chargeKey("acme", "2026-03", "CC_VM"));
                assertThat(line.amount()).isEqualByComparingTo("27.00");
                assertThat(service.health().ready()).isTrue();
            } finally {
                service.stop(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void shouldGiveUpOnceItsSourceTopicHasBeenMissingForItsBound(final KafkaBroker kafka,
                                                                 @TempDir final Path stateDir) throws Exception {
        final String prefix = "rater-gone.";
        final Duration bound = Duration.ofSeconds(10);
        try (Admin admin = admin(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            final RaterService service = service(kafka, prefix, stateDir, bound);
            try {
                service.start();
                awaitReady(service);

                admin.deleteTopics(List.of(Topics.REPORTS.name(prefix))).all().get();
                final long deleted = System.nanoTime();
                await("exit code 1").atMost(Duration.ofSeconds(120))
                        .until(() -> service.ended().equals(OptionalInt.of(ExitCodes.FAILED)));
                assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isGreaterThan(bound);
                assertThat(service.health().reason()).contains("missing from Kafka's metadata");
            } finally {
                service.stop(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void shouldLeaveItsGroupWhenStoppedSoThatARestartedRaterGetsItsPartitionsAtOnce(final KafkaBroker kafka,
                                                                                     @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "rater-leave.";
        try (Admin admin = admin(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            final RaterService service = service(kafka, prefix, stateDir, Duration.ofMinutes(3));
            try {
                service.start();
                awaitReady(service);
                assertThat(members(admin, prefix + "app")).isOne();
            } finally {
                service.stop(Duration.ofSeconds(30));
            }
            // a member that stays is the group's until its session times out, and a rater started again (say with
            // an edited card) would wait that long for the partitions
            assertThat(members(admin, prefix + "app")).isZero();
        }
    }

    private static int members(final Admin admin, final String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
    }

    private static RaterService service(final KafkaBroker kafka, final String prefix, final Path stateDir,
                                        final Duration giveUpAfter) {
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final Properties streams = Rater.streamsConfig(prefix + "app", client, stateDir);
        // a stopped rater stays in its group until its session times out, and the new one waits for that: 6 s (the
        // broker's least) rather than the default 45 s keeps the test short
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        final RaterMetrics metrics = new RaterMetrics(new SimpleMeterRegistry());
        final Supplier<Rater> raters = () -> new Rater(Fixtures.card(), metrics, streams, RatingRun.live(prefix));
        return new RaterService(raters, new KafkaProbe(client, Duration.ofSeconds(1), Clock.systemUTC()),
                HealthBounds.DEFAULTS, giveUpAfter, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    private static void awaitReady(final RaterService service) {
        await("ready").atMost(Duration.ofSeconds(120)).until(() -> {
            assertThat(service.ended()).isEmpty();
            return service.health().ready();
        });
    }

    private static ChargeLine awaitLine(final KafkaBroker kafka, final String prefix, final RaterService service,
                                        final String key) {
        final Map<String, ChargeLine> lines = new HashMap<>();
        try (KafkaConsumer<String, ChargeLine> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.CHARGES.keySerde().deserializer(), Topics.CHARGES.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.CHARGES.name(prefix)));
            await("the charge line " + key).atMost(Duration.ofSeconds(120)).until(() -> {
                assertThat(service.ended()).isEmpty();
                consumer.poll(Duration.ofMillis(200)).forEach(record -> lines.put(record.key(), record.value()));
                return lines.containsKey(key);
            });
        }
        return lines.get(key);
    }

    private static Admin admin(final KafkaBroker kafka) {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }
}
