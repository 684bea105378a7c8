package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file output resumes exactly after what it made durable, whatever step a crash interrupted. */
class FileWriterTest {

    private static final String TOTALS = "usage.totals.v1";
    private static final TopicPartition BILLING = new TopicPartition("billing.records.v1", 0);

    @TempDir
    Path dir;

    @Test
    void shouldDropAHalfWrittenHistoryLineAndResumeAtItsRecord() throws Exception {
        try (FileWriter writer = new FileWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, Records.billing("acme", Records.DAY, 1, "96"))));
        }
        // the crash cut the next line short
        Files.writeString(dir.resolve("history.jsonl"), "{\"topic\":\"billing.records.v1\",\"partition\":0,\"off",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (FileWriter restarted = new FileWriter(dir, TOTALS)) {
            assertThat(restarted.checkpoint().positions()).isEqualTo(Map.of(BILLING, 1L));
            assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(1);
        }
    }

    @Test
    void shouldRedoAPeriodFileTheCrashLeftBehindItsHistory() throws Exception {
        try (FileWriter writer = new FileWriter(dir, TOTALS)) {
            writer.write(List.of(record(0, Records.billing("acme", Records.DAY, 1, "96"))));
        }
        // history has revision 2 at offset 1, but the crash came before day/2026-03-10.csv and positions.json
        final PeriodRecord restated = Records.billing("acme", Records.DAY, 2, "102");
        Files.writeString(dir.resolve("history.jsonl"), "{\"topic\":\"billing.records.v1\",\"partition\":0,"
                + "\"offset\":1,\"record\":" + Json.mapper().writeValueAsString(restated) + "}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (FileWriter restarted = new FileWriter(dir, TOTALS)) {
            assertThat(restarted.checkpoint().positions()).isEqualTo(Map.of(BILLING, 2L));
            assertThat(Files.readAllLines(dir.resolve("day/2026-03-10.csv"))).hasSize(2)
                    .last().asString().contains(",RESTATED,2,");
            // delivered again after the restart: already in the history, not written twice
            restarted.write(List.of(record(1, restated)));
        }
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(2);
    }

    @Test
    void shouldKeepOnlyOpenTotalsThatAreStillOpen() throws Exception {
        final PeriodRecord acme = Records.open("acme", Records.DAY, "10");
        final PeriodRecord globex = Records.open("globex", Records.DAY, "20");
        try (FileWriter writer = new FileWriter(dir, TOTALS)) {
            writer.write(List.of(total(0, acme.periodKey(), acme), total(1, globex.periodKey(), globex),
                    total(2, acme.periodKey(), null)));
        }

        try (FileWriter restarted = new FileWriter(dir, TOTALS)) {
            assertThat(Files.readAllLines(dir.resolve("open-totals.csv"))).hasSize(2)
                    .last().asString().startsWith("globex,");
            assertThat(restarted.checkpoint().positions()).containsEntry(new TopicPartition(TOTALS, 0), 3L);
        }
    }

    private static SinkRecord record(final long offset, final PeriodRecord value) {
        return new SinkRecord(BILLING, offset, value.periodKey(), value);
    }

    private static SinkRecord total(final long offset, final String key, final PeriodRecord value) {
        return new SinkRecord(new TopicPartition(TOTALS, 0), offset, key, value);
    }
}
