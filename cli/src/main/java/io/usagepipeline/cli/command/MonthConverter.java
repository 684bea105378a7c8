package io.usagepipeline.cli.command;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a calendar month given as {@code 2026-10}. */
public final class MonthConverter implements ITypeConverter<YearMonth> {

    @Override
    public YearMonth convert(final String value) {
        try {
            return YearMonth.parse(value);
        } catch (final DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a month such as 2026-10");
        }
    }
}
