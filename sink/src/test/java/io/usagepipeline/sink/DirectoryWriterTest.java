package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file output resumes exactly after what it made durable, whatever step a crash interrupted. */
class DirectoryWriterTest {

    private static final String TOTALS = "usage.totals.v1";
    private static final TopicPartition BILLING = new TopicPartition("billing.records.v1", 0);
    private static final TopicPartition CHARGES = new TopicPartition("billing.charges.v1", 0);

    @TempDir
    Path dir;

    @Test
    void shouldDropAHalfWrittenHistoryLineAndResumeAtItsRecord() throws Exception {
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, Records.billing("acme", Records.DAY, 1, "96"))));
        }
        // the crash cut the next line short
        Files.writeString(dir.resolve("history.jsonl"), "{\"topic\":\"billing.records.v1\",\"partition\":0,\"off",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            assertThat(restarted.checkpoint().positions()).isEqualTo(Map.of(BILLING, 1L));
            assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(1);
        }
    }

    @Test
    void shouldRedoAPeriodFileTheCrashLeftBehindItsHistory() throws Exception {
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, Records.billing("acme", Records.DAY, 1, "96"))));
        }
        // history has revision 2 at offset 1, but the crash came before day/2026-03-10.csv and positions.json
        final PeriodRecord restated = Records.billing("acme", Records.DAY, 2, "102");
        Files.writeString(dir.resolve("history.jsonl"), "{\"topic\":\"billing.records.v1\",\"partition\":0,"
                + "\"offset\":1,\"record\":" + Json.mapper().writeValueAsString(restated) + "}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            assertThat(restarted.checkpoint().positions()).isEqualTo(Map.of(BILLING, 2L));
            assertThat(Files.readAllLines(dir.resolve("day/2026-03-10.csv"))).hasSize(2)
                    .last().asString().contains(",RESTATED,2,");
            // delivered again after the restart: already in the history, not written twice
            restarted.write(List.of(record(1, restated)));
        }
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(2);
    }

    @Test
    void shouldRenderAPeriodFileFromTheHistoryNotFromWhatTheFileNowHolds() throws Exception {
        final PeriodRecord acme = Records.billing("acme", Records.DAY, 1, "96");
        final PeriodRecord globex = Records.billing("globex", Records.DAY, 1, "48");
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, acme), record(1, globex)));
        }
        final Path day = dir.resolve("day/2026-03-10.csv");
        final List<String> written = Files.readAllLines(day);
        // someone opened the file and kept only their own tenant's row, with a figure changed
        Files.write(day, List.of(written.get(0), written.get(1).replace(",96,", ",1,")));

        final PeriodRecord initech = Records.billing("initech", Records.DAY, 1, "24");
        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            restarted.write(List.of(record(2, initech)));
        }
        assertThat(Files.readAllLines(day)).containsExactly(written.get(0), written.get(1), written.get(2),
                CsvColumns.render(List.of(initech)).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void shouldFindEveryRowInTheHistoryWhateverCharactersItsNamesHave() throws Exception {
        // two-, three- and four-byte characters before the row that is looked up after the restart
        final PeriodRecord mueller = withTenant(Records.billing("acme", Records.DAY, 1, "96"), "müller-日本-😀");
        final PeriodRecord acme = Records.billing("acme", Records.DAY, 1, "48");
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, mueller), record(1, acme)));
        }
        final PeriodRecord restated = Records.billing("acme", Records.DAY, 2, "50");
        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            restarted.write(List.of(record(2, restated)));
        }
        assertThat(Files.readString(dir.resolve("day/2026-03-10.csv"))).isEqualTo(
                CsvColumns.render(List.of(restated, mueller)));
    }

    @Test
    void shouldRedoAReconciliationFileTheCrashLeftBehindItsHistory() throws Exception {
        final TopicPartition topic = new TopicPartition("billing.reconciliation.v1", 0);
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, Records.billing("acme", Records.DAY, 1, "96"))));
        }
        // the history has the line, but the crash came before reconciliation/2026-03.csv and positions.json
        Files.writeString(dir.resolve("history.jsonl"), "{\"topic\":\"billing.reconciliation.v1\",\"partition\":0,"
                + "\"offset\":0,\"record\":" + Json.mapper().writeValueAsString(Records.reconciliation(1)) + "}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            assertThat(restarted.checkpoint().positions()).isEqualTo(Map.of(BILLING, 1L, topic, 1L));
        }
        assertThat(Files.readAllLines(dir.resolve("reconciliation/2026-03.csv"))).hasSize(2);
        assertThat(Files.readAllLines(dir.resolve("day/2026-03-10.csv"))).hasSize(2);
    }

    @Test
    void shouldWriteTheLatestRevisionOfEveryChargeLineInInvoiceOrderAndEveryRevisionOnce() throws Exception {
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(charge(0, Records.charge("acme", ChargeLine.TOTAL, 1, "31.50", "0")),
                    charge(1, Records.charge("acme", "VBR_vSphere_VM", 1, "31.50", "0")),
                    charge(2, Records.charge("=cmd", "VBR_vSphere_VM", 1, "9.00", "0"))));
            writer.write(List.of(charge(3, Records.charge("acme", "VBR_vSphere_VM", 2, "40.50", "31.50")),
                    charge(1, Records.charge("acme", "VBR_vSphere_VM", 1, "31.50", "0")))); // delivered again
        }

        final List<String> rows = Files.readAllLines(dir.resolve("charges/2026-03.csv"));
        assertThat(rows.get(0)).startsWith("tenantId,month,line,quantity,unit,unitPrice,amount,currency,basis,points,"
                + "cost,margin,priced,");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1)).startsWith("'=cmd,2026-03,VBR_vSphere_VM,7,objects,4.5,9.00,EUR,PEAK_COUNT,5,5.50,3.50,");
        assertThat(rows.get(2)).startsWith("acme,2026-03,VBR_vSphere_VM,7,objects,4.5,40.50,EUR,").contains(
                ",RESTATED,2,9.00,");
        assertThat(rows.get(3)).startsWith("acme,2026-03,TOTAL,");
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(4);
    }

    @Test
    void shouldRenderAChargeFileTheCrashLeftBehindItsHistoryFromTheWholeHistory() throws Exception {
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(charge(0, Records.charge("acme", "VBR_vSphere_VM", 1, "31.50", "0")),
                    charge(1, Records.charge("acme", ChargeLine.TOTAL, 1, "31.50", "0"))));
        }
        // history has revision 2 of the VBR line at offset 2, but the crash came before the CSV and positions.json
        final ChargeLine restated = Records.charge("acme", "VBR_vSphere_VM", 2, "40.50", "31.50");
        Files.writeString(dir.resolve("history.jsonl"), "{\"topic\":\"billing.charges.v1\",\"partition\":0,"
                + "\"offset\":2,\"record\":" + Json.mapper().writeValueAsString(restated) + "}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            assertThat(restarted.checkpoint().positions()).isEqualTo(Map.of(CHARGES, 3L));
            final List<String> rows = Files.readAllLines(dir.resolve("charges/2026-03.csv"));
            assertThat(rows).hasSize(3); // the TOTAL, known only from the history's earlier lines, is still there
            assertThat(rows.get(1)).contains(",40.50,").contains(",RESTATED,2,");
            restarted.write(List.of(charge(2, restated))); // delivered again: not written twice
        }
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(3);
    }

    @Test
    void shouldKeepEveryAlertEpisodeOnceWithItsEndAcrossARestart() throws Exception {
        final Alert started = Alert.started(AlertKind.UNPRICED, "acme|2026-03|CC_VM_Backup", "acme",
                Instant.parse("2026-04-01T00:00:00Z"), "no line of card 'standard' matches CC_VM_Backup");
        final Alert resolved = started.resolved(Instant.parse("2026-04-03T00:00:00Z"), "priced by card 'standard'");
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(alert(0, started), alert(1, started)));
        }
        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            restarted.write(List.of(alert(2, resolved), alert(3, started))); // a late copy of the start changes nothing
        }

        final List<String> rows = Files.readAllLines(dir.resolve("alerts.csv"));
        assertThat(rows).containsExactly("kind,tenantId,subject,startedAt,resolvedAt,detail,alertId",
                "UNPRICED,acme,acme|2026-03|CC_VM_Backup,2026-04-01T00:00:00.000Z,2026-04-03T00:00:00.000Z,"
                        + "priced by card 'standard'," + started.alertId());
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(2);
    }

    @Test
    void shouldKeepTheLatestReconciliationLineAcrossARestart() throws Exception {
        final TopicPartition topic = new TopicPartition("billing.reconciliation.v1", 0);
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(PositionedRecord.ofReconciliation(topic, 0, Records.reconciliation(1))));
        }
        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            restarted.write(List.of(PositionedRecord.ofReconciliation(topic, 1, Records.reconciliation(2)),
                    PositionedRecord.ofReconciliation(topic, 2, Records.reconciliation(1)))); // a late copy
        }

        final List<String> rows = Files.readAllLines(dir.resolve("reconciliation/2026-03.csv"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).startsWith("acme,2026-03,VBR_VM,10,9,-1,ADJUSTED_IN_REPORT,Approved,");
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(2);
    }

    @Test
    void shouldKeepOnlyOpenTotalsThatAreStillOpen() throws Exception {
        final PeriodRecord acme = Records.open("acme", Records.DAY, "10");
        final PeriodRecord globex = Records.open("globex", Records.DAY, "20");
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(total(0, acme.periodKey(), acme), total(1, globex.periodKey(), globex),
                    total(2, acme.periodKey(), null)));
        }

        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            assertThat(Files.readAllLines(dir.resolve("open-totals.csv"))).hasSize(2)
                    .last().asString().startsWith("globex,");
            assertThat(restarted.checkpoint().positions()).containsEntry(new TopicPartition(TOTALS, 0), 3L);
        }
    }

    @Test
    void shouldNeverCutAFileWhenTheDiskFillsAndRestartCleanlyOnceThereIsSpaceAgain() throws Exception {
        try (FileSystem disk = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setBlockSize(4096).setMaxSize(4096L * 256).build())) {
            final Path out = disk.getPath("/billing");
            final List<PositionedRecord> first = List.of(record(0, Records.billing("acme", Records.DAY, 1, "96")));
            try (DirectoryWriter writer = new DirectoryWriter(out, TOTALS)) {
                writer.write(first);
            }
            final String dayBefore = Files.readString(out.resolve("day/2026-03-10.csv"));
            final Path ballast = fill(disk.getPath("/ballast"));

            final List<PositionedRecord> batch = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                batch.add(record(i + 1, Records.billing("tenant-" + i, Records.DAY, 1, String.valueOf(i))));
            }
            try (DirectoryWriter writer = new DirectoryWriter(out, TOTALS)) {
                assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(IOException.class);
            }
            assertThat(Files.readString(out.resolve("day/2026-03-10.csv"))).as("the good file, whole")
                    .isEqualTo(dayBefore);
            try (var files = Files.walk(out)) {
                assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
            }

            Files.delete(ballast);
            try (DirectoryWriter restarted = new DirectoryWriter(out, TOTALS)) {
                // whatever the history kept of the failed batch is applied; the rest comes again from Kafka
                final long from = restarted.checkpoint().positions().get(BILLING);
                restarted.write(batch.stream().filter(record -> record.offset() >= from).toList());
            }
            final List<String> day = Files.readAllLines(out.resolve("day/2026-03-10.csv"));
            assertThat(day).hasSize(402).doesNotHaveDuplicates();
            assertThat(Files.readAllLines(out.resolve("history.jsonl"))).hasSize(401).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldNeutraliseCellsASpreadsheetWouldRunAsFormulasAndReadThemBack() throws Exception {
        final PeriodRecord hostile = withTenant(Records.billing("acme", Records.DAY, 1, "96"),
                "=HYPERLINK(\"http://evil\",\"x\")");
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, hostile)));
        }
        final String row = Files.readAllLines(dir.resolve("day/2026-03-10.csv")).get(1);
        assertThat(row).startsWith("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",");
        assertThat(CsvColumns.neutralise("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvColumns.neutralise("-1+2")).isEqualTo("'-1+2");
        assertThat(CsvColumns.neutralise("'quoted")).isEqualTo("''quoted");
        assertThat(CsvColumns.neutralise("acme")).isEqualTo("acme");

        // a restatement of the same period finds the row by its exact key and replaces it
        final PeriodRecord restated = withTenant(Records.billing("acme", Records.DAY, 2, "102"), hostile.tenantId());
        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS)) {
            restarted.write(List.of(record(1, restated)));
        }
        assertThat(Files.readAllLines(dir.resolve("day/2026-03-10.csv"))).hasSize(2)
                .last().asString().contains(",RESTATED,2,");
    }

    @Test
    void shouldHoldBackTotalsWithinTheIntervalWithoutLosingThemToACrash() throws Exception {
        final PeriodRecord first = Records.open("acme", Records.DAY, "10");
        final PeriodRecord second = Records.open("acme", Records.DAY, "20");
        final DirectoryWriter writer = new DirectoryWriter(dir, TOTALS, Duration.ofHours(1));
        writer.write(List.of(total(0, first.periodKey(), first)));
        // the next total comes within the interval: applied, but neither the file nor the positions move yet
        writer.write(List.of(total(1, second.periodKey(), second)));
        assertThat(Files.readAllLines(dir.resolve("open-totals.csv"))).hasSize(2).last().asString()
                .contains(",10,");

        // a crash now (no close): the restarted writer resumes before the total its file lacks, so it reads it again
        writer.crash();
        try (DirectoryWriter restarted = new DirectoryWriter(dir, TOTALS, Duration.ofHours(1))) {
            assertThat(restarted.checkpoint().positions()).containsEntry(new TopicPartition(TOTALS, 0), 1L);
            restarted.write(List.of(total(1, second.periodKey(), second)));
            restarted.idle(); // caught up: what was held back goes out
            assertThat(Files.readAllLines(dir.resolve("open-totals.csv"))).hasSize(2).last().asString()
                    .contains(",20,");
            assertThat(restarted.checkpoint().positions()).containsEntry(new TopicPartition(TOTALS, 0), 2L);
        }
    }

    /**
     * Two writers on one folder would each append every record to the history: the second is turned away, naming the
     * first, before it reads or repairs anything; once the first is closed (or its process ends), the folder is free.
     */
    @Test
    void shouldTurnAwayASecondWriterOfTheSameFolder() throws Exception {
        final PeriodRecord record = Records.open("acme", Records.DAY, "10");
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(total(0, record.periodKey(), record)));

            assertThatThrownBy(() -> new DirectoryWriter(dir, TOTALS))
                    .isInstanceOf(OutputInUseException.class)
                    .hasMessageStartingWith("the files output " + dir.toAbsolutePath().normalize()
                            + " is being written by another sink (this process, " + ProcessHandle.current().pid()
                            + "@")
                    .hasMessageEndingWith("; one sink writes an output: stop that one, or give this one another "
                            + "--csv-dir");
        }
        try (DirectoryWriter next = new DirectoryWriter(dir, TOTALS)) {
            assertThat(next.checkpoint().positions()).containsEntry(new TopicPartition(TOTALS, 0), 1L);
        }
    }

    @Test
    void shouldWriteTheMonthAndTheLocalDateASpreadsheetReadsAndFlagPartialCoverage() throws Exception {
        try (DirectoryWriter writer = new DirectoryWriter(dir, TOTALS)) {
            writer.write(List.of(total(0, "k", Records.open("acme", Instant.parse("2026-03-01T00:00:00Z"), "40"))));
        }
        final List<String> lines = Files.readAllLines(dir.resolve("open-totals.csv"));
        final List<String> header = List.of(lines.get(0).split(","));
        final List<String> cells = List.of(lines.get(1).split(","));
        assertThat(cells.get(header.indexOf("month"))).isEqualTo("2026-03");
        assertThat(cells.get(header.indexOf("date"))).isEqualTo("2026-03-01");
        assertThat(cells.get(header.indexOf("coverage"))).isEqualTo("0.013441");
        assertThat(cells.get(header.indexOf("partial"))).isEqualTo("true");
    }

    /** Fills the disk with one file until it is full; returns it, to free the space again. */
    private static Path fill(final Path ballast) throws IOException {
        final ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (true) {
                block.clear();
                channel.write(block);
            }
        } catch (final IOException full) {
            return ballast;
        }
    }

    private static PeriodRecord withTenant(final PeriodRecord r, final String tenant) {
        final String series = Keys.seriesKey(tenant, r.sourceId(), r.licenseType());
        return new PeriodRecord(null, r.recordId(), series, tenant, r.sourceId(), r.sourceKind(), r.licenseType(),
                r.unit(), r.granularity(), r.zone(), r.periodStart(), r.periodEnd(), r.status(), r.revision(),
                r.supersedes(), r.peakUnits(), r.avgUnits(), r.unitHours(), r.lastUnits(), r.peakCount(),
                r.lastCount(), r.samples(), r.coverage(), r.firstObservedAt(), r.lastObservedAt(), r.asOf());
    }

    private static PositionedRecord record(final long offset, final PeriodRecord value) {
        return new PositionedRecord(BILLING, offset, value.periodKey(), value);
    }

    private static PositionedRecord alert(final long offset, final Alert alert) {
        return PositionedRecord.ofAlert(new TopicPartition("usage.alerts.v1", 0), offset, alert);
    }

    private static PositionedRecord charge(final long offset, final ChargeLine line) {
        return PositionedRecord.ofCharge(CHARGES, offset, line);
    }

    private static PositionedRecord total(final long offset, final String key, final PeriodRecord value) {
        return new PositionedRecord(new TopicPartition(TOTALS, 0), offset, key, value);
    }
}
