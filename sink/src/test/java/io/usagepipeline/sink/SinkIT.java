package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real broker and a real PostgreSQL: latest revision wins, and nothing is lost or doubled. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class SinkIT {

    private static final Instant MONTH = Instant.parse("2026-03-01T00:00:00Z");
    private static final String SINK_NAME = "sink-it";
    /** The records of one batch: at most one poll's worth. */
    private static final int BATCH_SIZE = 25;

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @TempDir
    Path dir;



    @Test
    void shouldKeepTheLatestRevisionAndEveryRevisionOnce(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        produce(kafka, prefix, List.of(
                billing(prefix, Records.billing("acme", Records.DAY, 1, "96")),
                billing(prefix, Records.billing("acme", Records.DAY, 2, "102")),
                billing(prefix, Records.billing("globex", Records.DAY, 1, "48")),
                total(prefix, Records.open("acme", MONTH, "36")),
                total(prefix, Records.open("acme", MONTH, "40")),
                total(prefix, Records.open("globex", MONTH, "12")),
                tombstone(prefix, Records.open("globex", MONTH, "12").periodKey())));

        drain(sink(kafka, prefix, jdbc, BillingSink.AfterWrite.NOTHING));

        assertThat(database.rows(jdbc, "SELECT tenant_id, revision, status, unit_hours, avg_units FROM billing_records "
                + "ORDER BY tenant_id")).containsExactly(
                List.of("acme", "2", "RESTATED", "102", "4.25"), List.of("globex", "1", "FINAL", "48", "2"));
        assertThat(database.rows(jdbc, "SELECT tenant_id, revision FROM billing_record_revisions "
                + "ORDER BY tenant_id, revision")).containsExactly(List.of("acme", "1"), List.of("acme", "2"),
                List.of("globex", "1"));
        assertThat(database.rows(jdbc, "SELECT tenant_id, unit_hours FROM open_totals"))
                .containsExactly(List.of("acme", "40"));

        final List<String> day = Files.readAllLines(dir.resolve("day/2026-03-10.csv"));
        assertThat(day).hasSize(3);
        assertThat(day.get(0)).startsWith("tenantId,licenseType,sourceId,sourceKind,unit,granularity,zone,month,date,"
                + "periodStart");
        assertThat(day.get(1)).startsWith("acme,AWS_EC2_INSTANCE,aws-acme,VBA_AWS,instances,DAY,UTC,2026-03,"
                + "2026-03-10,2026-03-10T00:00:00.000Z,2026-03-11T00:00:00.000Z,RESTATED,2,4.33,4.25,102,4,5,4,24,1,"
                + "false,");
        assertThat(day.get(2)).startsWith("globex,");
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve("open-totals.csv"))).hasSize(2)
                .last().asString().startsWith("acme,AWS_EC2_INSTANCE,aws-acme,VBA_AWS,instances,MONTH,UTC,");
    }

    /**
     * Partitions added to a topic while the sink runs (an operator giving another reader of the billing topic more
     * partitions) get records as soon as the processor's producer sees them: the sink reads them from their start too,
     * where it read only the partitions it found at its start until it was restarted.
     */
    @Test
    void shouldReadPartitionsAddedWhileItRuns(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        produce(kafka, prefix, List.of(billing(prefix, Records.billing("acme", Records.DAY, 1, "96"))));
        final Map<String, Object> quickMetadata = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500); // the sink's own 30 s would make this test wait
        try (BillingSink sink = sink(prefix, jdbc, dir, quickMetadata)) {
            pollWhile(sink, () -> database.rows(jdbc, "SELECT tenant_id FROM billing_records").size() < 1,
                    "the first record unwritten");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createPartitions(Map.of(Topics.BILLING_RECORDS.name(prefix), NewPartitions.increaseTo(4)))
                        .all().get();
            }
            final PeriodRecord globex = Records.billing("globex", Records.DAY, 1, "48");
            produce(kafka, prefix, List.of(new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix), 3,
                    globex.periodKey(), globex)));

            pollWhile(sink, () -> database.rows(jdbc, "SELECT tenant_id FROM billing_records").size() < 2,
                    "the record in the added partition unwritten");
        }

        assertThat(database.rows(jdbc, "SELECT tenant_id, revision FROM billing_records ORDER BY tenant_id"))
                .containsExactly(List.of("acme", "1"), List.of("globex", "1"));
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(2)
                .last().asString().contains("\"partition\":3,\"offset\":0");
    }

    /**
     * Monitoring (and the demo) read the sink's lag from its group's committed offsets. A partition whose tail is an
     * aborted transaction gives the sink no record, only a position past it: that position is committed all the same.
     */
    @Test
    void shouldCommitItsPositionPastAnAbortedTransactionThatGaveItNoRecord(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        produce(kafka, prefix, List.of(billing(prefix, Records.billing("acme", Records.DAY, 1, "96"))));
        abort(kafka, List.of(total(prefix, Records.open("globex", MONTH, "12"))));

        awaitNoCommittedLag(kafka, prefix, sink(kafka, prefix, database.freshSchema(), BillingSink.AfterWrite.NOTHING));

        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(1).first().asString().contains("acme");
        assertThat(Files.exists(dir.resolve("open-totals.csv"))).as("the aborted OPEN total is not written").isFalse();
    }

    /**
     * A batch that ends with a partition's last record leaves the consumer at that transaction's commit marker; the
     * next poll steps over it and returns nothing. That step is committed too.
     */
    @Test
    void shouldCommitItsPositionPastTheCommitMarkerAfterAFullBatch(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        final List<ProducerRecord<String, PeriodRecord>> records = new ArrayList<>();
        for (int tenant = 0; tenant < BATCH_SIZE; tenant++) {
            final PeriodRecord record = Records.billing("tenant-" + tenant, Records.DAY, 1, "96");
            records.add(new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix), 0, record.periodKey(), record));
        }
        produce(kafka, prefix, records);

        awaitNoCommittedLag(kafka, prefix, sink(kafka, prefix, database.freshSchema(), BillingSink.AfterWrite.NOTHING));

        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(BATCH_SIZE);
    }

    /** Polls the sink until its group has committed every offset of the billing and totals topics; closes it. */
    private static void awaitNoCommittedLag(final KafkaBroker kafka, final String prefix, final BillingSink sink)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            final GroupProgress group = new GroupProgress(admin, SINK_NAME);
            final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin,
                    List.of(Topics.BILLING_RECORDS.name(prefix), Topics.TOTALS.name(prefix)));
            pollUntil(sink, () -> group.remaining(ends), "offsets the sink's group has not committed");
        }
    }

    @Test
    void shouldKeepTheLatestChargeLineAndEveryRevisionOnceWithTheAmountsScale(final KafkaBroker kafka)
            throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        final ChargeLine first = Records.charge("acme", "VBR_vSphere_VM", 1, "31.50", "0");
        final ChargeLine restated = Records.charge("acme", "VBR_vSphere_VM", 2, "40.50", "31.50");
        produceCharges(kafka, List.of(charge(prefix, first), charge(prefix, restated), charge(prefix, first)));

        drain(sink(kafka, prefix, jdbc, BillingSink.AfterWrite.NOTHING));

        assertThat(database.rows(jdbc, "SELECT tenant_id, month, line, revision, status, amount::text, delta::text, "
                + "cost::text, currency, billing_record_ids[1]::text FROM charges")).containsExactly(List.of("acme",
                "2026-03", "VBR_vSphere_VM", "2", "RESTATED", "40.50", "9.00", "5.50", "EUR",
                restated.billingRecordIds().get(0).toString()));
        assertThat(database.rows(jdbc, "SELECT revision, amount::text, supersedes::text FROM charge_revisions "
                + "ORDER BY revision")).containsExactly(Arrays.asList("1", "31.50", null),
                List.of("2", "40.50", first.chargeId().toString()));
        assertThat(Files.readAllLines(dir.resolve("charges/2026-03.csv"))).hasSize(2)
                .last().asString().startsWith("acme,2026-03,VBR_vSphere_VM,7,objects,4.5,40.50,EUR,PEAK_COUNT,");
    }

    @Test
    void shouldKeepEveryAlertEpisodeOnceWithItsEnd(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        final Alert started = Alert.started(AlertKind.UNPRICED, "acme|2026-03|CC_VM_Backup", "acme",
                Instant.parse("2026-04-01T00:00:00Z"), "no line of card 'standard' matches CC_VM_Backup");
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.ALERTS.keySerde().serializer(), Topics.ALERTS.valueSerde().serializer())) {
            for (final Alert alert : List.of(started, started, started.resolved(Instant.parse(
                    "2026-04-03T00:00:00Z"), "priced by card 'standard'"))) {
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(prefix), alert.alertKey(), alert));
            }
        }

        drain(sink(kafka, prefix, jdbc, BillingSink.AfterWrite.NOTHING));

        assertThat(database.rows(jdbc, "SELECT kind, subject, tenant_id, resolved_at IS NOT NULL, detail FROM alerts"))
                .containsExactly(List.of("UNPRICED", "acme|2026-03|CC_VM_Backup", "acme", "t",
                        "priced by card 'standard'"));
        assertThat(Files.readAllLines(dir.resolve("alerts.csv"))).hasSize(2);
    }

    @Test
    void shouldKeepTheLatestReconciliationOfEveryLine(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        produceReconciliation(kafka, prefix, List.of(Records.reconciliation(1), Records.reconciliation(2),
                Records.reconciliation(1)));

        drain(sink(kafka, prefix, jdbc, BillingSink.AfterWrite.NOTHING));

        assertThat(database.rows(jdbc, "SELECT tenant_id, source_id, license_type, month, our_points::text, "
                + "veeam_points::text, variance::text, cause, report_status, revision, supersedes::text "
                + "FROM reconciliation")).containsExactly(List.of("acme", "vspc", "VBR_VM", "2026-03", "10", "9",
                "-1", "ADJUSTED_IN_REPORT", "Approved", "2", Records.reconciliation(1).reconciliationId().toString()));
        assertThat(Files.readAllLines(dir.resolve("reconciliation/2026-03.csv"))).containsExactly(
                "tenantId,month,licenseType,ourPoints,veeamPoints,variance,cause,reportStatus,detail,ourCount,"
                        + "initialCount,reportedCount,newCount,weight,coverage,sourceId,revision,reconciliationId,"
                        + "supersedes,asOf",
                "acme,2026-03,VBR_VM,10,9,-1,ADJUSTED_IN_REPORT,Approved,'=see the report,10,10,9,0,1,1,vspc,2,"
                        + Records.reconciliation(2).reconciliationId() + "," + Records.reconciliation(1)
                        .reconciliationId() + ",2026-04-02T10:00:00.000Z");
    }

    @Test
    void shouldChangeNothingWhenRecordsAreDeliveredTwiceOrReplayed(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        final List<ProducerRecord<String, PeriodRecord>> records = List.of(
                billing(prefix, Records.billing("acme", Records.DAY, 1, "96")),
                billing(prefix, Records.billing("acme", Records.DAY, 2, "102")));
        produce(kafka, prefix, records);
        drain(sink(kafka, prefix, jdbc, BillingSink.AfterWrite.NOTHING));
        final List<String> historyBefore = Files.readAllLines(dir.resolve("history.jsonl"));
        final List<String> dayBefore = Files.readAllLines(dir.resolve("day/2026-03-10.csv"));

        // the same revisions again at new offsets, the older one last
        produce(kafka, prefix, List.of(records.get(1), records.get(0)));
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        drain(sink(kafka, prefix, jdbc, dir, false, BillingSink.AfterWrite.NOTHING, registry));

        assertThat(database.rows(jdbc, "SELECT revision, unit_hours FROM billing_records"))
                .containsExactly(List.of("2", "102"));
        assertThat(database.rows(jdbc, "SELECT count(*) FROM billing_record_revisions"))
                .containsExactly(List.of("2"));
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).isEqualTo(historyBefore);
        assertThat(Files.readAllLines(dir.resolve("day/2026-03-10.csv"))).isEqualTo(dayBefore);
        // each output counts the two as held already, not as written
        for (final String writer : List.of("files", "postgresql")) {
            assertThat(registry.get("usage.sink.records.held").tag("writer", writer).counter().count())
                    .as(writer).isEqualTo(2.0);
            assertThat(registry.get("usage.sink.records.written").tag("writer", writer).counter().count())
                    .as(writer).isZero();
        }
    }

    @Test
    void shouldKeepTheFirstOfTwoDifferentRecordsOfOneRevisionAndCountTheOther(final KafkaBroker kafka)
            throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        // a second publisher's revision 1 of the same day and charge line, with other figures
        final PeriodRecord first = Records.billing("acme", Records.DAY, 1, "96");
        produce(kafka, prefix, List.of(billing(prefix, first), billing(prefix, first),
                billing(prefix, Records.billing("acme", Records.DAY, 1, "120"))));
        produceCharges(kafka, List.of(charge(prefix, Records.charge("acme", "VBR_vSphere_VM", 1, "31.50", "0")),
                charge(prefix, Records.charge("acme", "VBR_vSphere_VM", 1, "33.75", "0"))));
        produceReconciliation(kafka, prefix, List.of(Records.reconciliation(1),
                Records.reconciliation(1, "another rater's detail")));
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();

        drain(sink(kafka, prefix, jdbc, dir, false, BillingSink.AfterWrite.NOTHING, registry));

        assertThat(database.rows(jdbc, "SELECT revision, unit_hours FROM billing_records"))
                .containsExactly(List.of("1", "96"));
        assertThat(database.rows(jdbc, "SELECT unit_hours FROM billing_record_revisions"))
                .containsExactly(List.of("96"));
        assertThat(database.rows(jdbc, "SELECT amount::text FROM charges")).containsExactly(List.of("31.50"));
        assertThat(database.rows(jdbc, "SELECT amount::text FROM charge_revisions")).containsExactly(List.of("31.50"));
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(3); // one of each: the first
        assertThat(Files.readString(dir.resolve("day/2026-03-10.csv"))).contains(",96,").doesNotContain(",120,");
        assertThat(Files.readString(dir.resolve("charges/2026-03.csv"))).contains(",31.50,").doesNotContain("33.75");
        assertThat(database.rows(jdbc, "SELECT detail FROM reconciliation")).containsExactly(
                List.of("=see the report"));
        assertThat(Files.readString(dir.resolve("reconciliation/2026-03.csv"))).doesNotContain("another rater");
        // the record delivered twice is no conflict; each output counts the three that differ
        for (final String writer : List.of("files", "postgresql")) {
            assertThat(registry.get("usage.sink.revision.conflicts").tag("writer", writer).counter().count())
                    .as(writer).isEqualTo(3.0);
        }
    }

    @Test
    void shouldWriteEverythingExactlyOnceAfterACrashRightAfterTheDatabaseCommit(final KafkaBroker kafka)
            throws Exception {
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        final List<ProducerRecord<String, PeriodRecord>> records = new ArrayList<>();
        for (int tenant = 0; tenant < 40; tenant++) {
            records.add(billing(prefix, Records.billing("t" + tenant, Records.DAY, 1, String.valueOf(tenant))));
            records.add(billing(prefix, Records.billing("t" + tenant, Records.DAY, 2, String.valueOf(tenant + 1))));
        }
        produce(kafka, prefix, records);

        // the database commits the first batch, then the process dies before the files or Kafka hear of it
        final BillingSink crashing = sink(kafka, prefix, jdbc, (writer, written) -> {
            if (writer.equals("postgresql")) {
                throw new IllegalStateException("crash injected after the database commit");
            }
        });
        assertThatThrownBy(() -> drain(crashing)).hasMessageContaining("crash injected");
        crashing.close();
        assertThat(database.rows(jdbc, "SELECT count(*) FROM billing_record_revisions").get(0).get(0))
                .isNotEqualTo("0");

        drain(sink(kafka, prefix, jdbc, BillingSink.AfterWrite.NOTHING));

        assertThat(database.rows(jdbc, "SELECT count(*), count(DISTINCT record_id) FROM billing_record_revisions"))
                .containsExactly(List.of("80", "80"));
        assertThat(database.rows(jdbc, "SELECT count(*) FROM billing_records WHERE revision = 2"))
                .containsExactly(List.of("40"));
        final List<String> history = Files.readAllLines(dir.resolve("history.jsonl"));
        assertThat(history).hasSize(80).doesNotHaveDuplicates();
        assertThat(Files.readAllLines(dir.resolve("day/2026-03-10.csv"))).hasSize(41)
                .filteredOn(line -> line.contains(",RESTATED,2,")).hasSize(40);
    }

    @Test
    void shouldRefuseOutputsOfAnotherClusterAndRebuildThemOnReset(final KafkaBroker kafka, @TempDir final Path fresh)
            throws Exception {
        final Path out = dir.resolve("out"); // its sibling receives the files a reset moves aside
        final String prefix = topics(kafka);
        final String jdbc = database.freshSchema();
        produce(kafka, prefix, List.of(billing(prefix, Records.billing("acme", Records.DAY, 1, "96")),
                billing(prefix, Records.billing("globex", Records.DAY, 1, "48"))));
        drain(sink(kafka, prefix, jdbc, out, false, BillingSink.AfterWrite.NOTHING));
        final List<String> firstHistory = Files.readAllLines(out.resolve("history.jsonl"));

        // the same topic names on another cluster: a new broker, as after a migration or a fresh demo
        try (EmbeddedKafkaBroker other = EmbeddedKafkaBroker.builder().build().start()) {
            topics(other, prefix);
            produce(other, prefix, List.of(billing(prefix, Records.billing("initech", Records.DAY, 1, "24"))));
            final String before = clusterId(kafka);
            final String now = clusterId(other);

            assertThatThrownBy(() -> sink(other, prefix, jdbc, out, false, BillingSink.AfterWrite.NOTHING))
                    .isInstanceOf(StaleOutputException.class)
                    .hasMessageContaining("written from Kafka cluster " + before + ", but this Kafka is cluster " + now)
                    .hasMessageContaining("--reset-output");
            assertThat(Files.readAllLines(out.resolve("history.jsonl"))).as("untouched").isEqualTo(firstHistory);

            drain(sink(other, prefix, jdbc, out, true, BillingSink.AfterWrite.NOTHING));
            final String freshJdbc = database.freshSchema();
            drain(sink(other, prefix, freshJdbc, fresh, false, BillingSink.AfterWrite.NOTHING));

            for (final String file : List.of("history.jsonl", "day/2026-03-10.csv", "positions.json")) {
                assertThat(Files.readString(out.resolve(file))).as(file)
                        .isEqualTo(Files.readString(fresh.resolve(file)));
            }
            assertThat(Files.readString(out.resolve("day/2026-03-10.csv"))).contains("initech,")
                    .doesNotContain("acme,").doesNotContain("globex,");
            final String latest = "SELECT tenant_id, revision, unit_hours FROM billing_records ORDER BY tenant_id";
            assertThat(database.rows(jdbc, latest)).isEqualTo(database.rows(freshJdbc, latest))
                    .containsExactly(List.of("initech", "1", "24"));
            assertThat(database.rows(jdbc, "SELECT count(*) FROM billing_record_revisions"))
                    .containsExactly(List.of("1"));
            // the first cluster's files were moved aside, not deleted
            try (var siblings = Files.list(dir)) {
                final Path aside = siblings.filter(path -> path.getFileName().toString()
                        .startsWith("out" + ".before-reset-")).findFirst().orElseThrow();
                assertThat(Files.readAllLines(aside.resolve("history.jsonl"))).isEqualTo(firstHistory);
            }
        }
    }

    private static String clusterId(final KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private BillingSink sink(final KafkaBroker kafka, final String prefix, final String jdbc,
                             final BillingSink.AfterWrite afterWrite) throws Exception {
        return sink(kafka, prefix, jdbc, dir, false, afterWrite);
    }

    private static BillingSink sink(final KafkaBroker kafka, final String prefix, final String jdbc, final Path dir,
                                    final boolean reset, final BillingSink.AfterWrite afterWrite) throws Exception {
        return sink(kafka, prefix, jdbc, dir, reset, afterWrite, new SimpleMeterRegistry());
    }

    private static BillingSink sink(final KafkaBroker kafka, final String prefix, final String jdbc, final Path dir,
                                    final boolean reset, final BillingSink.AfterWrite afterWrite,
                                    final MeterRegistry registry) throws Exception {
        return sink(prefix, jdbc, dir, reset, afterWrite, registry, Map.of("bootstrap.servers",
                kafka.bootstrapServers()));
    }

    /** A sink whose consumer has these Kafka settings. */
    private static BillingSink sink(final String prefix, final String jdbc, final Path dir,
                                    final Map<String, Object> settings) throws Exception {
        return sink(prefix, jdbc, dir, false, BillingSink.AfterWrite.NOTHING, new SimpleMeterRegistry(), settings);
    }

    private static BillingSink sink(final String prefix, final String jdbc, final Path dir, final boolean reset,
                                    final BillingSink.AfterWrite afterWrite, final MeterRegistry registry,
                                    final Map<String, Object> settings) throws Exception {
        final BillingSink sink = new BillingSink(new SinkConfig(prefix, SINK_NAME, BATCH_SIZE, Duration.ofMillis(200),
                reset),
                settings,
                List.of(new PostgresWriter(jdbc, database.user(), new Secret(database.password()), SINK_NAME,
                        Topics.TOTALS.name(prefix)), new DirectoryWriter(dir, Topics.TOTALS.name(prefix))),
                new SinkMetrics(registry, Clock.systemUTC()), afterWrite);
        try {
            sink.start();
        } catch (final Exception e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    /** Polls until the sink has written every record committed to its topics before (no quiet-spell guess). */
    private static void drain(final BillingSink sink) throws Exception {
        pollUntil(sink, sink::lag, "records left unwritten");
    }

    /** Polls the sink, at least once, until {@code left} counts nothing, for two minutes at most; closes it. */
    private static void pollUntil(final BillingSink sink, final Callable<Long> left, final String what)
            throws Exception {
        try (sink) {
            sink.pollOnce();
            pollWhile(sink, () -> left.call() > 0, what);
        }
    }

    /** Polls the sink while {@code pending} holds, for two minutes at most; leaves it open. */
    private static void pollWhile(final BillingSink sink, final Callable<Boolean> pending, final String what)
            throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (pending.call() && System.nanoTime() < deadline) {
            sink.pollOnce();
        }
        assertThat(pending.call()).as(what + " after two minutes").isFalse();
    }

    private static String topics(final KafkaBroker kafka) throws Exception {
        return topics(kafka, "sink-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    private static String topics(final KafkaBroker kafka, final String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
        return prefix;
    }

    /** Produces in one transaction, as the processor does. */
    private static void produce(final KafkaBroker kafka, final String prefix,
                                final List<ProducerRecord<String, PeriodRecord>> records) {
        transaction(kafka, records, true);
    }

    /** Produces in one transaction that is then aborted, as a processor's is when it fails over. */
    private static void abort(final KafkaBroker kafka, final List<ProducerRecord<String, PeriodRecord>> records) {
        transaction(kafka, records, false);
    }

    private static void transaction(final KafkaBroker kafka, final List<ProducerRecord<String, PeriodRecord>> records,
                                    final boolean commit) {
        Transactions.send(kafka.bootstrapServers(), Topics.BILLING_RECORDS, records, commit);
    }

    private static void produceCharges(final KafkaBroker kafka,
                                       final List<ProducerRecord<String, ChargeLine>> records) {
        Transactions.send(kafka.bootstrapServers(), Topics.CHARGES, records, true);
    }

    private static void produceReconciliation(final KafkaBroker kafka, final String prefix,
                                              final List<Reconciliation> lines) {
        try (KafkaProducer<String, Reconciliation> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.RECONCILIATION.keySerde().serializer(), Topics.RECONCILIATION.valueSerde().serializer())) {
            for (final Reconciliation line : lines) {
                producer.send(new ProducerRecord<>(Topics.RECONCILIATION.name(prefix), line.reconciliationKey(),
                        line));
            }
        }
    }

    private static ProducerRecord<String, ChargeLine> charge(final String prefix, final ChargeLine line) {
        return new ProducerRecord<>(Topics.CHARGES.name(prefix), line.chargeKey(), line);
    }

    private static ProducerRecord<String, PeriodRecord> billing(final String prefix, final PeriodRecord record) {
        return new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix), record.periodKey(), record);
    }

    private static ProducerRecord<String, PeriodRecord> total(final String prefix, final PeriodRecord record) {
        return new ProducerRecord<>(Topics.TOTALS.name(prefix), record.periodKey(), record);
    }

    private static ProducerRecord<String, PeriodRecord> tombstone(final String prefix, final String periodKey) {
        return new ProducerRecord<>(Topics.TOTALS.name(prefix), periodKey, null);
    }
}
