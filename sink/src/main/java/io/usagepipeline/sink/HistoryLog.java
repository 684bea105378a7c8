package io.usagepipeline.sink;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code history.jsonl}, the write-ahead log of a {@link DirectoryWriter}: every revision its files are rendered from,
 * exactly once, one JSON line each with the topic, partition and offset it was read at. A batch is appended with one
 * write and is on disk before the files it changes are rewritten; a write cut short by a crash or a full disk leaves a
 * cut last line, which {@link #recover} drops (its record was never acknowledged). A line's format is known here
 * alone: {@link DirectoryWriter} and {@link PeriodIndex} read what a line holds through this class.
 */
final class HistoryLog {

    static final String NAME = "history.jsonl";

    /** What a line holds, told by its schema without parsing the line. */
    enum Kind {
        BILLING, CHARGE, RECONCILIATION, ALERT;

        private static final String CHARGE_SCHEMA = schema(ChargeLine.SCHEMA);
        private static final String RECONCILIATION_SCHEMA = schema(Reconciliation.SCHEMA);
        private static final String ALERT_SCHEMA = schema(Alert.SCHEMA);

        static Kind of(final String line) {
            if (line.contains(CHARGE_SCHEMA)) {
                return CHARGE;
            }
            if (line.contains(RECONCILIATION_SCHEMA)) {
                return RECONCILIATION;
            }
            return line.contains(ALERT_SCHEMA) ? ALERT : BILLING;
        }

        private static String schema(final String name) {
            return "\"schema\":\"" + name + "\"";
        }
    }

    /** Where a line lies in the file: its first byte, and its length in bytes without the newline. */
    record Location(long offset, int length) {
    }

    /** Where a line's revision was read from Kafka. */
    record ReadAt(String topic, int partition, long offset) {
        TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }
    }

    /** Sees one line of the history and where it lies. */
    @FunctionalInterface
    interface LineVisitor {
        void line(String line, Location at) throws IOException;
    }

    private final Path file;

    HistoryLog(final Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    long size() throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** Appends a line for each revision, in order, and forces them to disk; returns where each line lies. */
    List<Location> append(final List<PositionedRecord> revisions) throws IOException {
        if (revisions.isEmpty()) {
            return List.of();
        }
        final StringBuilder lines = new StringBuilder();
        final int[] lengths = new int[revisions.size()];
        for (int i = 0; i < revisions.size(); i++) {
            final PositionedRecord record = revisions.get(i);
            // written as text, not through a JSON tree: a tree would drop the trailing zeros of an amount (25.00)
            final String line = Json.mapper().writeValueAsString(new Line(record.source().topic(),
                    record.source().partition(), record.offset(), record.payload()));
            lengths[i] = utf8Length(line);
            lines.append(line).append('\n');
        }
        long offset;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            offset = channel.size();
            DurableFiles.writeFully(file, channel, lines.toString());
        }
        final List<Location> appended = new ArrayList<>(lengths.length);
        for (final int length : lengths) {
            appended.add(new Location(offset, length));
            offset += length + 1;
        }
        return appended;
    }

    /**
     * Drops a last line cut by a crash, then returns the complete lines from byte {@code from} on: those written
     * after the positions that were saved with the history's size then.
     */
    List<String> recover(final long from) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        final String tail;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            long complete = size;
            final ByteBuffer one = ByteBuffer.allocate(1);
            while (complete > 0) {
                one.clear();
                channel.read(one, complete - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                complete--;
            }
            if (complete < size) {
                channel.truncate(complete); // a line cut by a crash: its record was never acknowledged
                channel.force(true);
            }
            final long start = Math.min(from, complete);
            final ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(complete - start));
            channel.read(buffer, start);
            tail = new String(buffer.array(), StandardCharsets.UTF_8);
        }
        return tail.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Every line of the history, in order, with where it lies. */
    void scan(final LineVisitor visitor) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long offset = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                final int length = utf8Length(line);
                visitor.line(line, new Location(offset, length));
                offset += length + 1;
            }
        }
    }

    static ReadAt readAt(final String line) throws IOException {
        return Json.mapper().readValue(line, ReadAt.class); // the record itself is not bound
    }

    /** The billing record of a {@link Kind#BILLING} line. */
    static PeriodRecord billing(final byte[] line) throws IOException {
        return Json.mapper().readValue(line, BillingHistoryLine.class).record();
    }

    /**
     * The day or month file of a {@link Kind#BILLING} line, read without binding the record and only as far as the
     * fields that say it: the start reads every line, and parsing each whole took four times as long as reading it.
     */
    static PeriodPlace place(final String historyLine) throws IOException {
        String granularity = null;
        String periodStart = null;
        String zone = null;
        try (JsonParser parser = Json.mapper().getFactory().createParser(historyLine)) {
            while ((granularity == null || periodStart == null || zone == null) && parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.getParsingContext().getParent()
                        .getParent() != null) { // a field of the record, not of the line
                    switch (parser.currentName()) {
                        case "granularity" -> granularity = parser.nextTextValue();
                        case "periodStart" -> periodStart = parser.nextTextValue();
                        case "zone" -> zone = parser.nextTextValue();
                        default -> { }
                    }
                }
            }
        }
        if (granularity == null || periodStart == null || zone == null) {
            throw new IOException("a billing line of the history without its period: " + historyLine);
        }
        return new PeriodPlace(Granularity.valueOf(granularity), Instant.parse(periodStart), zone);
    }

    /** The charge line of a {@link Kind#CHARGE} line, bound without a tree so that amounts keep their scale. */
    static ChargeLine charge(final String line) throws IOException {
        return Json.mapper().readValue(line, ChargeHistoryLine.class).record();
    }

    static Reconciliation reconciliation(final String line) throws IOException {
        return Json.mapper().readValue(line, ReconciliationHistoryLine.class).record();
    }

    static Alert alert(final String line) throws IOException {
        return Json.mapper().readValue(line, AlertHistoryLine.class).record();
    }

    /** How many bytes a line takes in UTF-8 (tenant names from remote servers need not be ASCII). */
    private static int utf8Length(final String line) {
        int bytes = 0;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4; // with the low surrogate that follows
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** One line as written: a revision and where it was read. */
    private record Line(String topic, int partition, long offset, Object record) {
    }

    private record BillingHistoryLine(PeriodRecord record) {
    }

    private record ChargeHistoryLine(ChargeLine record) {
    }

    private record ReconciliationHistoryLine(Reconciliation record) {
    }

    private record AlertHistoryLine(Alert record) {
    }
}
