package io.usagepipeline.sink;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
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

    /** Its file in {@code dir}: by granularity and the local date its period starts on in its billing zone. */
    Path fileIn(final Path dir) {
        final var start = periodStart.atZone(ZoneId.of(zone));
        return granularity == Granularity.DAY
                ? dir.resolve("day").resolve(DAY_FILE.format(start) + ".csv")
                : dir.resolve("month").resolve(MONTH_FILE.format(start) + ".csv");
    }
}
