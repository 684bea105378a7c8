package io.usagepipeline.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
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
        final LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (time.getYear() < 0 || time.getYear() > 9999) {
            return WIRE.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        // written by hand for the same reason as parseWireForm: the formatter was a tenth of the processor's time
        final char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
        put(text, 0, 4, time.getYear());
        put(text, 5, 7, time.getMonthValue());
        put(text, 8, 10, time.getDayOfMonth());
        put(text, 11, 13, time.getHour());
        put(text, 14, 16, time.getMinute());
        put(text, 17, 19, time.getSecond());
        put(text, 20, 23, instant.getNano() / 1_000_000);
        return new String(text);
    }

    /** Writes value into text[from, to) as decimal digits, zero-padded. */
    private static void put(final char[] text, final int from, final int to, final int value) {
        int rest = value;
        for (int i = to - 1; i >= from; i--) {
            text[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** Accepts any ISO-8601 instant with an offset ({@code Z} or {@code +02:00}), as other producers may write. */
    public static Instant parse(final String text) {
        final Instant wire = parseWireForm(text);
        if (wire != null) {
            return wire;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + text + "'", e);
        }
    }

    /**
     * The form every record of ours carries, {@code 2026-11-01T10:15:00.000Z}, read without a formatter: the
     * processor reads several instants per state value and per record, and the general parser made that its
     * largest cost. Null when the text is not exactly in that form or not a valid time, so that the general parser
     * decides (and words the error).
     */
    private static Instant parseWireForm(final String text) {
        if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.'
                || text.charAt(23) != 'Z') {
            return null;
        }
        final int year = digits(text, 0, 4);
        final int month = digits(text, 5, 7);
        final int day = digits(text, 8, 10);
        final int hour = digits(text, 11, 13);
        final int minute = digits(text, 14, 16);
        final int second = digits(text, 17, 19);
        final int millis = digits(text, 20, 23);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || millis < 0
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        final long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second,
                millis * 1_000_000L);
    }

    /** The decimal number in text[from, to), or -1 when a character is not a digit. */
    private static int digits(final String text, final int from, final int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
