package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.HealthBounds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor as a service when its raw topic goes missing from Kafka's metadata, as it may for a moment while a
 * broker restarts: it starts again from its last commit once the topic is back, and gives up (exit 1) only once the
 * topic has been missing for its bound. Each check calls {@code ended()} as the runner does, since that is where a new
 * processor is started.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ProcessorServiceIT {

    @Test
    void shouldStartAgainFromItsStateWhenItsRawTopicComesBack(final KafkaBroker kafka, @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "missing-back.";
        try (Admin admin = admin(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            final ProcessorService service = service(kafka, prefix, stateDir, Duration.ofMinutes(3));
            try {
                service.start();
                awaitReady(service);
                // the first half of the day is processed, and committed, before the topic goes
                AwsHours.send(kafka, prefix, 0, 12, 4);
                AwsHours.awaitObservations(kafka, prefix, 12);

                admin.deleteTopics(List.of(Topics.RAW.name(prefix))).all().get();
                await("down, saying why").atMost(Duration.ofSeconds(120)).until(() -> {
                    assertThat(service.ended()).isEmpty();
                    return !service.health().up()
                            && service.health().reason().contains("missing from Kafka's metadata");
                });

                new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
                awaitReady(service);
                AwsHours.send(kafka, prefix, 12, 24, 6);
                AwsHours.send(kafka, prefix, 27, 28, 6); // the next day's poll closes the first day

                // 12 h at 4 before the topic went, 12 h at 6 after: the day's figures need both
                final PeriodRecord record = awaitDayRecord(kafka, prefix, service);
                assertThat(record.status()).isEqualTo(RecordStatus.FINAL);
                assertThat(record.unitHours()).isEqualByComparingTo("120");
                assertThat(record.peakUnits()).isEqualByComparingTo("6");
                assertThat(record.coverage()).isEqualByComparingTo("1");
                assertThat(service.ended()).isEmpty();
                assertThat(service.health().ready()).isTrue();
            } finally {
                service.stop(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void shouldGiveUpOnceItsRawTopicHasBeenMissingForItsBound(final KafkaBroker kafka, @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "missing-gone.";
        final Duration bound = Duration.ofSeconds(10);
        try (Admin admin = admin(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            final ProcessorService service = service(kafka, prefix, stateDir, bound);
            try {
                service.start();
                awaitReady(service);

                admin.deleteTopics(List.of(Topics.RAW.name(prefix))).all().get();
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
    void shouldLeaveItsGroupWhenStoppedUnlessItIsAStaticMember(final KafkaBroker kafka, @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "leave.";
        try (Admin admin = admin(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            final Properties dynamic = streams(kafka, prefix, stateDir);
            dynamic.remove(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
            runAndStop(kafka, prefix, dynamic);
            // a member that stays is the group's until its session times out (45 s), and a processor started again
            // would process nothing until then
            assertThat(members(admin, prefix + "app")).isEmpty();

            runAndStop(kafka, prefix, streams(kafka, prefix, stateDir));
            assertThat(members(admin, prefix + "app")).as("a static member keeps its place for its restart")
                    .containsExactly(prefix + "instance-1");
        }
    }

    private static void runAndStop(final KafkaBroker kafka, final String prefix, final Properties streams) {
        final ProcessorService service = service(kafka, prefix, streams, Duration.ofMinutes(3));
        try {
            service.start();
            awaitReady(service);
        } finally {
            service.stop(Duration.ofSeconds(30));
        }
    }

    /** The group instance ids of the group's members; a dynamic member's is empty. */
    private static List<String> members(final Admin admin, final String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .map(member -> member.groupInstanceId().orElse("")).toList();
    }

    private static ProcessorService service(final KafkaBroker kafka, final String prefix, final Path stateDir,
                                            final Duration giveUpAfter) {
        return service(kafka, prefix, streams(kafka, prefix, stateDir), giveUpAfter);
    }

    private static Properties streams(final KafkaBroker kafka, final String prefix, final Path stateDir) {
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final Properties streams = UsageProcessor.streamsConfig(prefix + "app", client, stateDir);
        // static membership, as the README advises: the new processor takes the stopped one's place in the group at
        // once, rather than after the stopped one's session has timed out (45 s by default)
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), prefix + "instance");
        return streams;
    }

    private static ProcessorService service(final KafkaBroker kafka, final String prefix, final Properties streams,
                                            final Duration giveUpAfter) {
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
        final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
        final Supplier<UsageProcessor> processors = () -> new UsageProcessor(config, metrics, streams);
        return new ProcessorService(processors, new KafkaProbe(client, Duration.ofSeconds(1), Clock.systemUTC()),
                HealthBounds.DEFAULTS, giveUpAfter, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    private static void awaitReady(final ProcessorService service) {
        await("ready").atMost(Duration.ofSeconds(120)).until(() -> {
            assertThat(service.ended()).isEmpty();
            return service.health().ready();
        });
    }

    private static PeriodRecord awaitDayRecord(final KafkaBroker kafka, final String prefix,
                                               final ProcessorService service) {
        final String dayKey = Keys.periodKey("acme|aws-acme|AWS_EC2_INSTANCE", Granularity.DAY, AwsHours.DAY);
        final List<PeriodRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, PeriodRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.BILLING_RECORDS.keySerde().deserializer(), Topics.BILLING_RECORDS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.BILLING_RECORDS.name(prefix)));
            await("the day's record").atMost(Duration.ofSeconds(120)).until(() -> {
                assertThat(service.ended()).isEmpty();
                consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(record.value()));
                return records.stream().anyMatch(record -> record.periodKey().equals(dayKey));
            });
        }
        final List<PeriodRecord> day = records.stream().filter(r -> r.periodKey().equals(dayKey)).toList();
        assertThat(day).hasSize(1);
        return day.get(0);
    }

    private static Admin admin(final KafkaBroker kafka) {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }
}
