package io.usagepipeline.cli.command;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an instant given as {@code 2026-10-01T00:00:00Z}, or as a date, {@code 2026-10-01}, meaning its start in UTC. */
public final class InstantConverter implements ITypeConverter<Instant> {

    @Override
    public Instant convert(final String value) {
        try {
            return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        } catch (final DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is neither an instant (2026-10-01T00:00:00Z) nor a "
                    + "date (2026-10-01)");
        }
    }
}
