package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.command.DemoCommand;
import io.usagepipeline.cli.run.ReplayWindow;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.BillingRecords;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.TopicSpec;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} over the raw topic the demo wrote: it gives the live records back field by field, also after the
 * raw history went through {@code raw export} and {@code raw import} into a fresh broker, and {@code --compare}
 * names a record that differs. The tests that forge a live record do it on a copy of the live topics under a prefix
 * of their own, so the tests hold in any order.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600) // a hung test fails here, not at CI's limit
class ReplayCommandIT {

    private String bootstrap;
    private Path demoOut;
    private String demoConsole;
    private Path config;
    private String from;
    private String to;

    @BeforeAll
    void runTheDemo(final KafkaBroker kafka, @TempDir final Path out) {
        bootstrap = kafka.bootstrapServers();
        final Instant now = Instant.now();
        from = now.minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();
        to = now.truncatedTo(ChronoUnit.SECONDS).toString();
        final StringWriter console = new StringWriter();
        // a folder whose name a shell would split or end a quote at, as the replay the demo prints must survive
        final Path folder = out.resolve("billing's demo");
        assertThat(run(console, "demo", "--bootstrap-servers", bootstrap, "--out", folder.toString(),
                "--tenants", "4", "--seed", "5", "--days", "3")).isZero();
        demoOut = folder;
        demoConsole = console.toString();
        config = folder.resolve(DemoCommand.CONFIG_FILE);
    }

    /**
     * The replay the demo prints, pasted into a shell: it finds the live records identical, into the demo's folder
     * (whose name holds a space and a quote).
     */
    @Test
    void shouldRunTheReplayTheDemoPrints() throws Exception {
        final String printed = demoConsole.lines().dropWhile(line -> !line.contains("To recompute them")).skip(1)
                .findFirst().orElseThrow(() -> new AssertionError("no replay command in:\n" + demoConsole)).strip();
        assertThat(printed).startsWith("usage-pipeline replay ");
        final StringWriter console = new StringWriter();

        final List<String> words = PosixShell.words(printed);

        final int code = run(console, words.subList(1, words.size()).toArray(String[]::new));

        assertThat(code).as(console.toString()).isZero();
        assertThat(console.toString()).contains("identical: the ");
        assertThat(demoOut.resolve("replay.jsonl")).isNotEmptyFile();
    }

    /** A second demo on the same Kafka would mix its figures with the first's: refused before it starts. */
    @Test
    void shouldRefuseASecondDemoOnTheSameKafka(@TempDir final Path dir) {
        final StringWriter errors = new StringWriter();
        final var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        assertThat(commandLine.execute("demo", "--bootstrap-servers", bootstrap, "--out", dir.resolve("again")
                .toString(), "--tenants", "4", "--days", "3")).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(errors.toString()).contains("configuration error: --bootstrap-servers: usage.raw.v1 on " + bootstrap
                + " already holds records; the demo runs a pipeline of its own");
        assertThat(dir.resolve("again")).doesNotExist();
    }

    @Test
    void shouldRecomputeTheLiveRecordsIdentically(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("replay.jsonl");
        final StringWriter console = new StringWriter();

        final int code = run(console, "replay", "-c", config.toString(), "--from", from, "--to", to, "--compare",
                "--out", file.toString());

        assertThat(code).as(console.toString()).isZero();
        final List<String> live = liveRecords(bootstrap);
        // three days of four tenants: every series has at least two closed days
        assertThat(live).hasSizeGreaterThan(20);
        assertThat(console.toString())
                .contains("identical: the " + String.format(Locale.ROOT, "%,d", live.size()) + " records");
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(live);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertThat(admin.listTopics().names().get()).as("the replay's temporary topics are gone")
                    .noneMatch(topic -> topic.startsWith("replay-") || topic.startsWith("usage-pipeline-replay-"));
        }
    }

    @Test
    void shouldGiveTheSameRecordsFromAnExportImportedIntoAFreshBroker(@TempDir final Path dir) throws Exception {
        final Path raw = dir.resolve("raw.jsonl");
        final Path file = dir.resolve("replay.jsonl");
        assertThat(run(new StringWriter(), "raw", "export", "--bootstrap-servers", bootstrap, "--file",
                raw.toString())).isZero();

        try (EmbeddedKafkaBroker fresh = EmbeddedKafkaBroker.builder().build().start()) {
            final String other = fresh.bootstrapServers();
            assertThat(run(new StringWriter(), "topics", "create", "--bootstrap-servers", other, "--partitions",
                    "3")).isZero();
            assertThat(run(new StringWriter(), "raw", "import", "--bootstrap-servers", other, "--file",
                    raw.toString())).isZero();
            final StringWriter console = new StringWriter();
            assertThat(run(console, "replay", "-c", config.toString(), "--bootstrap-servers", other, "--from", from,
                    "--to", to, "--out", file.toString(), "--output-prefix", "audit.")).as(console.toString())
                    .isZero();
            assertThat(BillingRecords.latest(Map.of("bootstrap.servers", other), "audit.billing.records.v1",
                    record -> true)).as("the kept output topic").isNotEmpty();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", other))) {
                assertThat(admin.listTopics().names().get()).as("only the outputs are kept")
                        .noneMatch(topic -> topic.startsWith("usage-pipeline-replay-"));
            }
            final StringWriter again = new StringWriter();
            final var commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(again, true));
            commandLine.setErr(new PrintWriter(again, true));
            assertThat(commandLine.execute("replay", "-c", config.toString(), "--bootstrap-servers", other, "--from",
                    from, "--to", to, "--output-prefix", "audit.")).isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(again.toString()).contains("--output-prefix 'audit.'").contains("already exists");
        }

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(liveRecords(bootstrap));
    }

    @Test
    void shouldListARecordThatDiffersFromTheLiveOne(@TempDir final Path dir) throws Exception {
        // a restatement the raw history does not explain: one more unit-hour than the live FINAL record
        final String prefix = copyOfTheLiveTopics("forged-restatement.");
        final PeriodRecord last = Topics.BILLING_RECORDS.valueSerde().deserializer().deserialize(null,
                liveRecords(bootstrap).get(0).getBytes(StandardCharsets.UTF_8));
        final PeriodRecord forged = restated(last, last.unitHours().add(BigDecimal.ONE));
        forge(prefix, forged);
        final StringWriter console = new StringWriter();

        final int code = run(console, "replay", "-c", config.toString(), "--prefix", prefix, "--from", from, "--to",
                to, "--compare", "--out", dir.resolve("replay.jsonl").toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(console.toString()).contains("DIFFERENT: 1 of ")
                .contains("  " + last.periodKey() + ": live vs replay: ")
                .contains("revision " + forged.revision() + " vs " + last.revision())
                .contains("unitHours " + forged.unitHours().toPlainString() + " vs "
                        + last.unitHours().toPlainString());
    }

    @Test
    void shouldReportTwoDifferentRecordsOfOneRevisionAsAConflict(@TempDir final Path dir) throws Exception {
        // what a misconfigured second processor writes: the same key and revision, other figures
        final String prefix = copyOfTheLiveTopics("forged-conflict.");
        final PeriodRecord live = Topics.BILLING_RECORDS.valueSerde().deserializer().deserialize(null,
                liveRecords(bootstrap).get(1).getBytes(StandardCharsets.UTF_8));
        final PeriodRecord second = sameRevision(live, live.unitHours().add(BigDecimal.TEN));
        forge(prefix, second);
        final StringWriter console = new StringWriter();

        final int code = run(console, "replay", "-c", config.toString(), "--prefix", prefix, "--from", from, "--to",
                to, "--compare", "--out", dir.resolve("replay.jsonl").toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(console.toString()).contains("CONFLICT: 1 keys of " + prefix + "billing.records.v1 hold two different records")
                .contains("  " + live.periodKey() + " revision " + live.revision() + " (offset ")
                .contains("unitHours " + live.unitHours().toPlainString() + " vs "
                        + second.unitHours().toPlainString());
    }

    @Test
    void shouldSayWhenTheWindowHoldsNothingToCompare(@TempDir final Path dir) {
        final StringWriter console = new StringWriter();

        final int code = run(console, "replay", "-c", config.toString(), "--from", "2020-01-01", "--to",
                "2020-01-02", "--compare", "--out", dir.resolve("replay.jsonl").toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(console.toString()).contains("NOTHING TO COMPARE: neither billing.records.v1 nor the replay has "
                + "a billing record in [2020-01-01T00:00:00Z, 2020-01-02T00:00:00Z)");
    }

    /**
     * The demo's raw polls, billing records and charges copied, with their keys, timestamps and bytes, to topics
     * under {@code prefix}: a live history to alter without touching the one the other tests compare with.
     */
    private String copyOfTheLiveTopics(final String prefix) throws Exception {
        final Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(kafka)) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            for (final TopicSpec<String, ?> topic : List.of(Topics.RAW, Topics.BILLING_RECORDS, Topics.CHARGES)) {
                CommittedRecords.forEach(kafka, topic.name(""), new ByteArrayDeserializer(), record ->
                        producer.send(new ProducerRecord<>(topic.name(prefix), record.partition(),
                                record.timestamp(), record.key(), record.value())));
            }
            producer.flush();
        }
        return prefix;
    }

    private void forge(final String prefix, final PeriodRecord record) throws Exception {
        try (KafkaProducer<String, PeriodRecord> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                bootstrap), Topics.BILLING_RECORDS.keySerde().serializer(),
                Topics.BILLING_RECORDS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix), record.periodKey(), record))
                    .get();
        }
    }

    private static PeriodRecord sameRevision(final PeriodRecord r, final BigDecimal unitHours) {
        return new PeriodRecord(null, r.recordId(), r.seriesKey(), r.tenantId(), r.sourceId(), r.sourceKind(),
                r.licenseType(), r.unit(), r.granularity(), r.zone(), r.periodStart(), r.periodEnd(), r.status(),
                r.revision(), r.supersedes(), r.peakUnits(), r.avgUnits(), unitHours, r.lastUnits(), r.peakCount(),
                r.lastCount(), r.samples(), r.coverage(), r.firstObservedAt(), r.lastObservedAt(), r.asOf());
    }

    private static PeriodRecord restated(final PeriodRecord r, final BigDecimal unitHours) {
        final int revision = r.revision() + 1;
        return new PeriodRecord(null, Ids.recordId(r.periodKey(), revision),
                r.seriesKey(), r.tenantId(), r.sourceId(), r.sourceKind(), r.licenseType(), r.unit(), r.granularity(),
                r.zone(), r.periodStart(), r.periodEnd(), RecordStatus.RESTATED, revision, r.recordId(),
                r.peakUnits(), r.avgUnits(), unitHours, r.lastUnits(), r.peakCount(), r.lastCount(), r.samples(),
                r.coverage(), r.firstObservedAt(), r.lastObservedAt(), r.asOf());
    }

    /** The live topic's latest revision of every record in the window, as JSON lines in key order. */
    private List<String> liveRecords(final String servers) {
        final ReplayWindow window = new ReplayWindow(Instant.parse(from), Instant.parse(to));
        return BillingRecords.latest(Map.of("bootstrap.servers", servers), Topics.BILLING_RECORDS.name(""),
                window::covers).values().stream().map(record -> new String(Topics.BILLING_RECORDS.valueSerde()
                .serializer().serialize(null, record), StandardCharsets.UTF_8)).toList();
    }

    private static int run(final StringWriter console, final String... args) {
        final var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(console, true));
        return commandLine.execute(args);
    }
}
