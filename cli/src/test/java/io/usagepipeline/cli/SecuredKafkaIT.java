package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process} on a secured Kafka (SASL, the standard authorizer) under a principal holding exactly the grants the
 * README lists for it: it bills. Without the grant on its billing topic it is refused at start in one line saying so,
 * where Kafka's topic list, which leaves out what a principal may not see, made the topic look missing; with the
 * topic visible but not writable it stops in one line when it first publishes a record there. The sink with the
 * README's grants writes the day; without the one on its group it stops in one line.
 */
@Timeout(300) // a hung test fails here, not at CI's limit
class SecuredKafkaIT {

    private static final String APP = "secured-it";
    private static final String PRINCIPAL = "User:app";
    private static final Map<String, String> APP_LOGIN = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM", "PLAIN",
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"app\" password=\"app-secret\";");
    private static final Instant START = Instant.parse("2026-03-10T00:00:00Z");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldBillWithTheReadmesGrantsAndSayWhichOneIsMissing() throws Exception {
        final int plain = CliProcess.freePort();
        final int sasl = CliProcess.freePort();
        final int controller = CliProcess.freePort();
        // the PLAINTEXT listener is the super user's (ANONYMOUS), as an administrator's would be
        broker = EmbeddedKafkaBroker.builder().port(plain).dataDir(dir.resolve("kafka"))
                .brokerProperty("controller.quorum.voters", "1@localhost:" + controller)
                .brokerProperty("listeners", "PLAINTEXT://localhost:" + plain + ",CONTROLLER://localhost:"
                        + controller + ",SASL://localhost:" + sasl)
                .brokerProperty("advertised.listeners", "PLAINTEXT://localhost:" + plain + ",SASL://localhost:" + sasl)
                .brokerProperty("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.sasl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain."
                        + "PlainLoginModule required user_app=\"app-secret\";")
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("super.users", "User:ANONYMOUS")
                .build().start();
        final String saslServers = "localhost:" + sasl;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicProvisioner(admin, "", 2, 0).ensureAll();
            // README, "A secured Kafka": the processor's grants
            final List<AclBinding> grants = new ArrayList<>();
            grant(grants, ResourceType.TOPIC, APP, PatternType.PREFIXED, AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            grant(grants, ResourceType.TRANSACTIONAL_ID, APP, PatternType.PREFIXED, AclOperation.WRITE,
                    AclOperation.DESCRIBE);
            grant(grants, ResourceType.GROUP, APP, PatternType.LITERAL, AclOperation.READ);
            grant(grants, ResourceType.TOPIC, Topics.RAW.name(""), PatternType.LITERAL, AclOperation.READ);
            for (final String output : List.of("usage.observations.v1", "usage.totals.v1", "usage.dlq.v1",
                    "usage.reports.v1", "usage.alerts.v1")) {
                grant(grants, ResourceType.TOPIC, output, PatternType.LITERAL, AclOperation.WRITE);
            }
            admin.createAcls(grants).all().get();
        }
        publish(30); // 10 March whole, and the 11th begun

        // all but Write on billing.records.v1: Kafka lists no topic the principal may not describe
        try (CliProcess refused = process(saslServers, 0)) {
            assertFailedWith(refused, "process: Kafka at " + saslServers + " does not let this principal see topic "
                    + "billing.records.v1 (topic authorization failed): grant it what the README lists under 'A "
                    + "secured Kafka' (Write or Read, which include Describe)");
        }

        // seen but not writable: it stops when it first publishes a billing record
        acl(List.of(binding(ResourceType.TOPIC, "billing.records.v1", PatternType.LITERAL, AclOperation.DESCRIBE)));
        try (CliProcess denied = process(saslServers, 0)) {
            assertFailedWith(denied, "ERROR UsageProcessor - the processor stopped: Kafka refused its principal "
                    + "access (Not authorized to access topics: [billing.records.v1]); grant it what the README lists "
                    + "under 'A secured Kafka', and start it again: it resumes from its last commit");
        }

        // every grant the README lists: it bills 10 March, from the last commit of the run before (which may have
        // committed its first polls before it met the day's end)
        acl(List.of(binding(ResourceType.TOPIC, "billing.records.v1", PatternType.LITERAL, AclOperation.WRITE)));
        final int port = CliProcess.freePort();
        try (CliProcess process = process(saslServers, port)) {
            process.awaitOutput("serving /metrics, /health and /ready on 127.0.0.1:" + port, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(get(port, "/metrics").body())
                    .contains("usage_processor_billing_records_total{status=\"FINAL\"} 1.0"));
            process.stop();
        }
        // two instances all day: 48 instance-hours
        assertThat(billingRecords()).singleElement().satisfies(day -> {
            assertThat(day.periodStart()).isEqualTo(START);
            assertThat(day.status()).isEqualTo(RecordStatus.FINAL);
            assertThat(day.unitHours()).isEqualByComparingTo("48");
        });

        // the sink with the README's grants but the one on its group: it stops in one line saying so
        final List<AclBinding> reads = new ArrayList<>();
        for (final String input : List.of("billing.records.v1", "usage.totals.v1", "billing.charges.v1",
                "billing.reconciliation.v1", "usage.alerts.v1")) {
            grant(reads, ResourceType.TOPIC, input, PatternType.LITERAL, AclOperation.READ);
        }
        acl(reads);
        final String[] sink = {"sink", "--bootstrap-servers", saslServers, "--name", "secured-it-sink", "--csv-dir",
                dir.resolve("out").toString()};
        try (CliProcess refused = CliProcess.start(APP_LOGIN, sink)) {
            assertFailedWith(refused, "ERROR SinkService - the sink stopped: Kafka refused its principal access (Not "
                    + "authorized to access group: secured-it-sink); grant it what the README lists under 'A secured "
                    + "Kafka'; it resumes exactly where it stopped when started again");
        }
        acl(List.of(binding(ResourceType.GROUP, "secured-it-sink", PatternType.LITERAL, AclOperation.READ)));
        try (CliProcess written = CliProcess.start(APP_LOGIN, sink);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // its positions, which the refused run wrote to its files but could not commit to its group
            await().atMost(Duration.ofSeconds(60)).until(() -> !admin.listConsumerGroupOffsets("secured-it-sink")
                    .partitionsToOffsetAndMetadata().get().isEmpty());
            written.stop();
            assertThat(written.lines()).noneMatch(line -> line.contains("the sink stopped"));
        }
        assertThat(Files.readAllLines(dir.resolve("out/day/2026-03-10.csv"))).hasSize(2)
                .last().asString().startsWith("acme,AWS_EC2_INSTANCE,aws-acme,").contains(",48,");
    }

    /** Every committed record of the billing topic, read as the super user. */
    private List<PeriodRecord> billingRecords() {
        final List<PeriodRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, PeriodRecord> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed",
                "auto.offset.reset", "earliest", "group.id", "secured-it-reader"),
                Topics.BILLING_RECORDS.keySerde().deserializer(), Topics.BILLING_RECORDS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.BILLING_RECORDS.name("")));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> records.add(record.value()));
                return !records.isEmpty();
            });
        }
        return records;
    }

    /** The command ends with exit code 1, having said {@code line} (a log line's end). */
    private static void assertFailedWith(final CliProcess process, final String line) throws InterruptedException {
        assertThat(process.awaitExit(Duration.ofSeconds(120))).isEqualTo(ExitCodes.FAILED);
        assertThat(process.lines()).anyMatch(printed -> printed.endsWith(line));
    }

    private CliProcess process(final String servers, final int port) throws Exception {
        final List<String> args = new ArrayList<>(List.of("process", "--bootstrap-servers", servers,
                "--state-dir", dir.resolve("state").toString(), "--application-id", APP));
        if (port > 0) {
            args.addAll(List.of("--http-port", String.valueOf(port)));
        }
        return CliProcess.start(APP_LOGIN, args.toArray(String[]::new));
    }

    private void acl(final List<AclBinding> bindings) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createAcls(bindings).all().get();
        }
    }

    private static void grant(final List<AclBinding> grants, final ResourceType type, final String name,
                              final PatternType pattern, final AclOperation... operations) {
        for (final AclOperation operation : operations) {
            grants.add(binding(type, name, pattern, operation));
        }
    }

    private static AclBinding binding(final ResourceType type, final String name, final PatternType pattern,
                                      final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(PRINCIPAL, "*", operation, AclPermissionType.ALLOW));
    }

    /** {@code hours} hourly polls of one AWS appliance from {@link #START}, as the super user. */
    private void publish(final int hours) throws Exception {
        try (KafkaProducer<String, RawPoll> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()), Topics.RAW.keySerde().serializer(),
                Topics.RAW.valueSerde().serializer())) {
            for (int hour = 0; hour < hours; hour++) {
                final Instant at = START.plus(Duration.ofHours(hour));
                final String target = Keys.pollTarget("aws-acme", Endpoint.LICENSED_WORKLOADS, null);
                final RawPoll poll = new RawPoll(null, Ids.pollId(target, at), "aws-acme",
                        Endpoint.LICENSED_WORKLOADS.sourceKind(), Endpoint.LICENSED_WORKLOADS, null, "acme", at, at,
                        PollStatus.COMPLETE, null, List.of(Json.mapper().readTree(
                        "{\"totalCount\":2,\"results\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")), 2, Map.of());
                producer.send(new ProducerRecord<>(Topics.RAW.name(""), null, at.toEpochMilli(), target, poll)).get();
            }
        }
    }

    private HttpResponse<String> get(final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
