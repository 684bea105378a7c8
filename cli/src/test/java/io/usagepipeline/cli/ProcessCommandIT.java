package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline process} from the shaded jar: it processes, reports health and metrics, and stops cleanly, and
 * says at start how many polls were deleted before it read them; a processor under another application id, without
 * its state, is refused, and so is one whose raw topic was given more partitions.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ProcessCommandIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldProcessRawPollsAndServeHealthAndMetrics(final KafkaBroker kafka, @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "cmd.";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 2, 0).ensureAll();
        }
        try (KafkaProducer<String, RawPoll> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), Topics.RAW.keySerde().serializer(),
                Topics.RAW.valueSerde().serializer())) {
            final Instant start = Instant.parse("2026-03-10T00:00:00Z");
            for (int hour = 0; hour < 30; hour++) {
                final RawPoll poll = awsPoll(start.plus(Duration.ofHours(hour)));
                producer.send(new ProducerRecord<>(Topics.RAW.name(prefix), null, poll.polledAt().toEpochMilli(),
                        poll.pollTarget(), poll));
            }
        }
        final int port = CliProcess.freePort();

        try (CliProcess process = CliProcess.start("process", "--bootstrap-servers", kafka.bootstrapServers(),
                "--prefix", prefix, "--state-dir", stateDir.toString(), "--application-id", "process-cmd-it",
                "--http-port", String.valueOf(port))) {
            process.awaitOutput("serving /metrics, /health and /ready on 127.0.0.1:" + port, Duration.ofSeconds(60));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(port, "/metrics").body())
                            .contains("usage_processor_raw_polls_total{status=\"COMPLETE\"} 30.0")
                            .contains("usage_processor_billing_records_total{status=\"FINAL\"} 1.0"));
            // Kafka Streams processes a task as soon as it is restored, so the polls can be counted while another
            // task still restores and the state is REBALANCING: RUNNING and ready follow within the deadline.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                final HttpResponse<String> health = get(port, "/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"state\":\"RUNNING\"");
                assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
            });

            process.stop();
            assertThat(process.printed("stopping the processor")).isTrue();
            assertThat(process.printed("processor stopped cleanly")).isTrue();
        }

        // polls deleted before the processor read them (a retention shorter than its absence, here by hand): it
        // goes on from the oldest left, as Kafka Streams does, and says at start how many it will never read
        final TopicPartition partition;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             KafkaProducer<String, RawPoll> producer = new KafkaProducer<>(Map.of(
                     "bootstrap.servers", kafka.bootstrapServers()), Topics.RAW.keySerde().serializer(),
                     Topics.RAW.valueSerde().serializer())) {
            final Instant start = Instant.parse("2026-03-11T06:00:00Z");
            RecordMetadata last = null;
            for (int hour = 0; hour < 10; hour++) {
                final RawPoll poll = awsPoll(start.plus(Duration.ofHours(hour)));
                last = producer.send(new ProducerRecord<>(Topics.RAW.name(prefix), null,
                        poll.polledAt().toEpochMilli(), poll.pollTarget(), poll)).get();
            }
            partition = new TopicPartition(last.topic(), last.partition());
            assertThat(last.offset()).as("one target: one partition, 30 polls before").isEqualTo(39);
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(35))).all().get();
        }
        try (CliProcess process = CliProcess.start("process", "--bootstrap-servers", kafka.bootstrapServers(),
                "--prefix", prefix, "--state-dir", stateDir.toString(), "--application-id", "process-cmd-it",
                "--http-port", String.valueOf(port))) {
            process.awaitOutput("serving /metrics, /health and /ready on 127.0.0.1:" + port, Duration.ofSeconds(60));
            assertThat(process.lines()).anyMatch(line -> line.endsWith("WARN KafkaCheck - cmd.usage.raw.v1 lost 5 "
                    + "records that 'process-cmd-it' had not read yet (" + partition + " offsets 30 to 34), deleted "
                    + "by hand or by the topic's retention (retention.ms -1) while the processor was away: it goes on "
                    + "from the oldest left, without them. The contract keeps this topic forever (retention.ms -1); "
                    + "polls a 'raw export' holds come back with 'raw import', and restate their periods within the "
                    + "horizon"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(port, "/metrics").body())
                    .as("the 5 polls left").contains("usage_processor_raw_polls_total{status=\"COMPLETE\"} 5.0"));
            process.stop();
        }

        // the group's positions deleted, as Kafka does once it has had no member for offsets.retention.minutes: it
        // says so, and reads the raw topic again from its start, dropping every poll as a copy it remembers
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.deleteConsumerGroups(List.of("process-cmd-it")).all().get();
        }
        try (CliProcess process = CliProcess.start("process", "--bootstrap-servers", kafka.bootstrapServers(),
                "--prefix", prefix, "--state-dir", stateDir.toString(), "--application-id", "process-cmd-it",
                "--http-port", String.valueOf(port))) {
            process.awaitOutput("serving /metrics, /health and /ready on 127.0.0.1:" + port, Duration.ofSeconds(60));
            assertThat(process.lines()).anyMatch(line -> line.endsWith("WARN KafkaCheck - 'process-cmd-it' has its "
                    + "state on this Kafka, but its group no position in cmd.usage.raw.v1: Kafka deletes a group's "
                    + "positions once it has had no member for offsets.retention.minutes (7 days by default). It "
                    + "reads the 5 records there again from their start: what it remembers is dropped as a copy, and "
                    + "older periods come out again under the ids they were published with. Raise "
                    + "offsets.retention.minutes on the brokers above the longest a processor may be stopped"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(port, "/metrics").body())
                    .contains("usage_processor_duplicate_polls_total 5.0"));
            process.stop();
        }

        // another application id has no state, and would number the records' revisions from 1 again: refused
        try (CliProcess other = CliProcess.start("process", "--bootstrap-servers", kafka.bootstrapServers(),
                "--prefix", prefix, "--state-dir", stateDir.resolve("other").toString(), "--application-id",
                "process-cmd-other")) {
            assertThat(other.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(other.lines()).anyMatch(line -> line.startsWith("configuration error: "
                    + "processor.applicationId: 'process-cmd-other' has no state on this Kafka, but "
                    + "cmd.billing.records.v1 already holds what a processor published") && line.contains(
                    "Run it as 'process-cmd-it' (--application-id), whose state is here"));
        }

        // the same application id under another prefix shares the changelogs and the group, so its state is cmd.'s:
        // refused, --new-state or not, since only an id of its own gives it state of its own topics
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, "cmd2.", 2, 0).ensureAll();
        }
        for (final List<String> newState : List.of(List.<String>of(), List.of("--new-state"))) {
            final List<String> args = new ArrayList<>(List.of("process", "--bootstrap-servers",
                    kafka.bootstrapServers(), "--prefix", "cmd2.", "--state-dir", stateDir.resolve("cmd2").toString(),
                    "--application-id", "process-cmd-it"));
            args.addAll(newState);
            try (CliProcess other = CliProcess.start(args.toArray(String[]::new))) {
                assertThat(other.awaitExit(Duration.ofSeconds(60))).as("%s", args).isEqualTo(ExitCodes.CONFIG_ERROR);
                assertThat(other.lines()).anyMatch(line -> line.equals("configuration error: "
                        + "processor.applicationId: 'process-cmd-it' holds the state of a processor of "
                        + "cmd.usage.raw.v1, which its group has read, not of cmd2.usage.raw.v1: started so, it would "
                        + "publish to cmd2.billing.records.v1 from that state. Give it an application id of its own "
                        + "(--application-id); a new one starts from the beginning of cmd2.usage.raw.v1"));
            }
        }

        // partitions added to the raw topic send poll targets to other partitions than their series' state: refused
        // at start in one line (Kafka Streams would stop after a rebalance, advising to delete its internal topics)
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createPartitions(Map.of("cmd.usage.raw.v1", NewPartitions.increaseTo(4))).all().get();
        }
        try (CliProcess grown = CliProcess.start("process", "--bootstrap-servers", kafka.bootstrapServers(),
                "--prefix", prefix, "--state-dir", stateDir.toString(), "--application-id", "process-cmd-it")) {
            assertThat(grown.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(grown.lines()).anyMatch(line -> line.equals("configuration error: processor.applicationId: "
                    + "'process-cmd-it' keeps its state in 2 partitions (process-cmd-it-series-store-changelog), one "
                    + "for each partition cmd.usage.raw.v1 had when it was built, but cmd.usage.raw.v1 now has 4: "
                    + "partitions were added (or the topic made again), so keys now go to other partitions than the "
                    + "state that knows them, and Kafka cannot take partitions away. Move the pipeline to topics "
                    + "under a new prefix with the partition count wanted (README, 'Partitions added to a topic')"));
        }
    }

    private HttpResponse<String> get(final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static RawPoll awsPoll(final Instant at) throws Exception {
        final String target = Keys.pollTarget("aws-acme", Endpoint.LICENSED_WORKLOADS, null);
        return new RawPoll(null, Ids.pollId(target, at), "aws-acme", Endpoint.LICENSED_WORKLOADS.sourceKind(),
                Endpoint.LICENSED_WORKLOADS, null, "acme", at, at, PollStatus.COMPLETE, null,
                List.of(Json.mapper().readTree("{\"totalCount\":2,\"results\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")), 2,
                Map.of());
    }
}
