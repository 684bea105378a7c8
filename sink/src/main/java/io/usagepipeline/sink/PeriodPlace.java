package io.usagepipeline.sink;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The fields of a billing record that say which day or month file it belongs to. */
record PeriodPlace(Granularity granularity, Instant periodStart, String zone) {

    private static final DateTimeFormatter DAY_FILE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final DateTimeFormatter MONTH_FILE = DateTimeFormatter.ofPattern("uuuu-MM");

    static PeriodPlace of(final PeriodRecord record) {
        return new PeriodPlace(record.granularity(), record.periodStart(), record.zone());
    }

    /**
     * Read from a history line without binding the record, and only as far as those fields: the start reads every
     * line, and parsing each whole took four times as long as reading it.
     */
    static PeriodPlace of(final String historyLine) throws IOException {
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

    /** Its file in {@code dir}: by granularity and the local date its period starts on in its billing zone. */
    Path fileIn(final Path dir) {
        final var start = periodStart.atZone(ZoneId.of(zone));
        return granularity == Granularity.DAY
                ? dir.resolve("day").resolve(DAY_FILE.format(start) + ".csv")
                : dir.resolve("month").resolve(MONTH_FILE.format(start) + ".csv");
    }
}
