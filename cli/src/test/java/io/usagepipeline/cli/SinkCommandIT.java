package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code usage-pipeline sink} killed with SIGKILL mid-stream ends, after a restart, with every record once. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class SinkCommandIT {

    private static final int SERIES = 600;
    private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");

    @Test
    void shouldWriteEveryRecordExactlyOnceAcrossAKill(final KafkaBroker kafka, @TempDir final Path out)
            throws Exception {
        final String prefix = "sinkcmd.";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
        produceRevisions(kafka, prefix);

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            final String jdbc = postgres.getJdbcUrl("postgres", "postgres");
            final String[] args = {"sink", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", prefix,
                    "--csv-dir", out.toString(), "--jdbc-url", jdbc, "--jdbc-user", "postgres",
                    "--jdbc-password-env", "SINK_IT_DB_PASSWORD", "--batch-size", "7"};
            final Map<String, String> env = Map.of("SINK_IT_DB_PASSWORD", "postgres");

            try (CliProcess first = CliProcess.start(env, args)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .failFast("the sink exited", () -> !first.isAlive())
                        .until(() -> count(postgres, "SELECT count(*) FROM billing_record_revisions") > 0);
                // a second sink on the same folder while the first writes it: turned away, in one line
                try (CliProcess intruder = CliProcess.start(env, "sink", "--bootstrap-servers",
                        kafka.bootstrapServers(), "--prefix", prefix, "--csv-dir", out.toString())) {
                    assertThat(intruder.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.FAILED);
                    assertThat(intruder.lines()).filteredOn(line -> line.contains("being written by another sink"))
                            .singleElement().asString().contains("the files output " + out.toRealPath())
                            .contains("(process " + first.pid() + "@").contains("give this one another --csv-dir");
                    assertThat(intruder.lines()).noneMatch(line -> line.startsWith("\tat "));
                }
                first.kill(); // the locks go with the process: the next sink starts
            }
            final long afterKill = count(postgres, "SELECT count(*) FROM billing_record_revisions");
            assertThat(afterKill).as("killed mid-stream").isBetween(1L, 2L * SERIES - 1);

            try (CliProcess second = CliProcess.start(env, args)) {
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        count(postgres, "SELECT count(*) FROM billing_record_revisions") == 2L * SERIES
                                && Files.exists(out.resolve("history.jsonl"))
                                && Files.readAllLines(out.resolve("history.jsonl")).size() == 2 * SERIES);
                // a second sink of the same name on the database alone (a second replica): turned away too
                try (CliProcess intruder = CliProcess.start(env, "sink", "--bootstrap-servers",
                        kafka.bootstrapServers(), "--prefix", prefix, "--jdbc-url", jdbc, "--jdbc-user", "postgres",
                        "--jdbc-password-env", "SINK_IT_DB_PASSWORD")) {
                    assertThat(intruder.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.FAILED);
                    assertThat(intruder.lines()).filteredOn(line -> line.contains("being written by another sink"))
                            .singleElement().asString().contains("the PostgreSQL output jdbc:postgresql://")
                            .contains("(usage-pipeline sink " + second.pid() + "@")
                            .contains("give this one another --name");
                    assertThat(intruder.lines()).noneMatch(line -> line.startsWith("\tat "));
                }
                second.stop();
            }

            assertThat(count(postgres, "SELECT count(DISTINCT record_id) FROM billing_record_revisions"))
                    .isEqualTo(2L * SERIES);
            assertThat(count(postgres, "SELECT count(*) FROM billing_records WHERE revision = 2"))
                    .isEqualTo(SERIES);
            assertThat(Files.readAllLines(out.resolve("history.jsonl"))).hasSize(2 * SERIES).doesNotHaveDuplicates();
            final List<String> day = Files.readAllLines(out.resolve("day/2026-03-10.csv"));
            assertThat(day).hasSize(SERIES + 1);
            assertThat(day.subList(1, day.size())).allMatch(line -> line.contains(",RESTATED,2,"));
        }
    }

    @Test
    void shouldRefuseFilesWrittenFromAnotherClusterInOneLine(final KafkaBroker kafka, @TempDir final Path out)
            throws Exception {
        final String prefix = "sinkstale.";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
        // what the file output of a sink that read another cluster's topics holds
        final String positions = "{\"historyBytes\":0,\"readFrom\":{\"clusterId\":\"another-cluster\","
                + "\"topicIds\":{}},\"positions\":{\"" + Topics.BILLING_RECORDS.name(prefix) + "-0\":5}}";
        Files.writeString(out.resolve("positions.json"), positions);

        try (CliProcess sink = CliProcess.start("sink", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix",
                prefix, "--csv-dir", out.toString())) {
            assertThat(sink.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.FAILED);
            assertThat(sink.lines()).filteredOn(line -> line.contains("belongs to another Kafka history"))
                    .singleElement().asString()
                    .contains("the files output " + out.toRealPath())
                    .contains("written from Kafka cluster another-cluster, but this Kafka is cluster ")
                    .contains("--reset-output");
            assertThat(sink.lines()).noneMatch(line -> line.startsWith("\tat "));
        }
        assertThat(Files.readString(out.resolve("positions.json"))).as("untouched").isEqualTo(positions);
    }

    private static void produceRevisions(final KafkaBroker kafka, final String prefix) {
        try (KafkaProducer<String, PeriodRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-cmd-it"),
                Topics.BILLING_RECORDS.keySerde().serializer(), Topics.BILLING_RECORDS.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int revision = 1; revision <= 2; revision++) {
                for (int i = 0; i < SERIES; i++) {
                    final PeriodRecord record = record("t" + i, revision);
                    producer.send(new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix), record.periodKey(),
                            record));
                }
            }
            producer.commitTransaction();
        }
    }

    private static PeriodRecord record(final String tenant, final int revision) {
        final String series = Keys.seriesKey(tenant, "aws-" + tenant, "AWS_EC2_INSTANCE");
        final String periodKey = Keys.periodKey(series, Granularity.DAY, DAY);
        final BigDecimal units = BigDecimal.valueOf(revision);
        return new PeriodRecord(null, Ids.recordId(periodKey, revision), series, tenant, "aws-" + tenant,
                SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "instances", Granularity.DAY, "UTC", DAY,
                DAY.plus(Duration.ofDays(1)), revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED, revision,
                revision == 1 ? null : Ids.recordId(periodKey, 1), units, units, units.multiply(BigDecimal.valueOf(24)),
                units, revision, revision, 24, BigDecimal.ONE, DAY, DAY.plus(Duration.ofHours(23)),
                DAY.plus(Duration.ofDays(1)));
    }

    private static long count(final EmbeddedPostgres postgres, final String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (final java.sql.SQLException e) {
            return 0; // the table does not exist before the sink's first start migrated the schema
        }
    }
}
