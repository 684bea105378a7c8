package io.usagepipeline.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Instants on the wire: ISO-8601 in UTC with exactly three fractional digits, e.g. 2026-11-01T10:15:00.000Z. */
public final class Instants {

    private static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private Instants() {
    }

    public static String format(final Instant instant) {
        return WIRE.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Accepts any ISO-8601 instant with an offset ({@code Z} or {@code +02:00}), as other producers may write. */
    public static Instant parse(final String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + text + "'", e);
        }
    }
}
