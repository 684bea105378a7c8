package io.usagepipeline.runtime.config;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The parsers that settings of several parts share. Each throws {@link IllegalArgumentException} with a short
 * reason; {@link ConfigTree#get} adds the key, the value, where it came from and what was expected.
 */
public final class Values {

    private Values() {
    }

    public static int intBetween(final String text, final int min, final int max) {
        final int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    public static BigDecimal positiveDecimal(final String text) {
        final BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("not a number", e);
        }
        if (value.signum() <= 0 || value.precision() - value.scale() > 30) {
            throw new IllegalArgumentException("not a positive number of at most 30 digits");
        }
        return value;
    }

    public static Duration duration(final String text) {
        try {
            return Duration.parse(text.trim());
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration", e);
        }
    }

    public static Duration positiveDuration(final String text) {
        final Duration duration = duration(text);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("not positive");
        }
        return duration;
    }

    public static Duration nonNegativeDuration(final String text) {
        final Duration duration = duration(text);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative");
        }
        return duration;
    }

    public static ZoneId zone(final String text) {
        try {
            return ZoneId.of(text.trim());
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("not a known time zone", e);
        }
    }

    public static String notBlank(final String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        return text.trim();
    }

    /** A Kafka application id, consumer group or other name Kafka allows: letters, digits, '.', '_', '-'. */
    public static String name(final String text) {
        if (!text.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("empty or with characters Kafka does not allow");
        }
        return text;
    }
}
