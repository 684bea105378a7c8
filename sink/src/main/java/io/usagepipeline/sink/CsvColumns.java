package io.usagepipeline.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usagepipeline.events.Decimals;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The CSV layout of billing and totals files (documented in the README): one column per record field, the tenant
 * first for spreadsheets; decimals plain (never 1E+3) with at most 6 fractional digits; instants as ISO-8601 UTC,
 * and the period's month and first local day as {@code 2026-11} and {@code 2026-11-01}, which spreadsheets read as
 * dates. Text from remote servers (tenant names, license types) never reaches a spreadsheet as a formula.
 */
final class CsvColumns {

    record Column(String name, Function<PeriodRecord, Object> value) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("tenantId", PeriodRecord::tenantId),
            new Column("licenseType", PeriodRecord::licenseType),
            new Column("sourceId", PeriodRecord::sourceId),
            new Column("sourceKind", PeriodRecord::sourceKind),
            new Column("unit", PeriodRecord::unit),
            new Column("granularity", PeriodRecord::granularity),
            new Column("zone", PeriodRecord::zone),
            new Column("month", record -> YearMonth.from(localStart(record))),
            new Column("date", CsvColumns::localStart),
            new Column("periodStart", PeriodRecord::periodStart),
            new Column("periodEnd", PeriodRecord::periodEnd),
            new Column("status", PeriodRecord::status),
            new Column("revision", PeriodRecord::revision),
            new Column("peakUnits", PeriodRecord::peakUnits),
            new Column("avgUnits", PeriodRecord::avgUnits),
            new Column("unitHours", PeriodRecord::unitHours),
            new Column("lastUnits", PeriodRecord::lastUnits),
            new Column("peakCount", PeriodRecord::peakCount),
            new Column("lastCount", PeriodRecord::lastCount),
            new Column("samples", PeriodRecord::samples),
            new Column("coverage", PeriodRecord::coverage),
            new Column("partial", record -> record.coverage().compareTo(BigDecimal.ONE) < 0),
            new Column("firstObservedAt", PeriodRecord::firstObservedAt),
            new Column("lastObservedAt", PeriodRecord::lastObservedAt),
            new Column("asOf", PeriodRecord::asOf),
            new Column("recordId", PeriodRecord::recordId),
            new Column("supersedes", PeriodRecord::supersedes),
            new Column("seriesKey", PeriodRecord::seriesKey));

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = COLUMNS.stream()
            .reduce(CsvSchema.builder(), (schema, column) -> schema.addColumn(column.name()), (a, b) -> a)
            .build().withHeader().withLineSeparator("\r\n");

    private CsvColumns() {
    }

    /** The file: a header, then one row per record in the given order, written (and quoted) by Jackson's CSV. */
    static String render(final List<PeriodRecord> records) {
        try {
            return CSV.writer(SCHEMA).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writeValueAsString(
                    records.stream().map(CsvColumns::cells).toList());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a billing row that CSV cannot hold", e);
        }
    }

    private static List<String> cells(final PeriodRecord record) {
        return COLUMNS.stream().map(column -> text(column.value().apply(record))).toList();
    }

    /** Reads a row written by {@link #render}, by header position. */
    static PeriodRecord parse(final List<String> header, final List<String> values) {
        final Map<String, String> byName = new HashMap<>();
        for (int i = 0; i < header.size() && i < values.size(); i++) {
            byName.put(header.get(i), restore(values.get(i)));
        }
        final RecordStatus status = RecordStatus.valueOf(byName.get("status"));
        return new PeriodRecord(null, uuid(byName.get("recordId")), byName.get("seriesKey"), byName.get("tenantId"),
                byName.get("sourceId"), SourceKind.valueOf(byName.get("sourceKind")), byName.get("licenseType"),
                byName.get("unit"), Granularity.valueOf(byName.get("granularity")), byName.get("zone"),
                instant(byName.get("periodStart")), instant(byName.get("periodEnd")), status,
                Integer.parseInt(byName.get("revision")), uuid(byName.get("supersedes")),
                new BigDecimal(byName.get("peakUnits")), new BigDecimal(byName.get("avgUnits")),
                new BigDecimal(byName.get("unitHours")), new BigDecimal(byName.get("lastUnits")),
                Long.parseLong(byName.get("peakCount")), Long.parseLong(byName.get("lastCount")),
                Long.parseLong(byName.get("samples")), new BigDecimal(byName.get("coverage")),
                instant(byName.get("firstObservedAt")), instant(byName.get("lastObservedAt")),
                instant(byName.get("asOf")));
    }

    private static String text(final Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return Decimals.forOutput(decimal).toPlainString();
        }
        if (value instanceof Instant instant) {
            return Instants.format(instant);
        }
        if (value instanceof String text) {
            return neutralise(text);
        }
        return value.toString();
    }

    /** The local date a period starts on in its billing zone: the day of a DAY record, the 1st of a MONTH's. */
    private static LocalDate localStart(final PeriodRecord record) {
        return record.periodStart().atZone(ZoneId.of(record.zone())).toLocalDate();
    }

    /**
     * OWASP's advice against CSV injection: a cell that a spreadsheet would run as a formula ({@code =}, {@code +},
     * {@code -}, {@code @}, tab or carriage return first) gets a leading apostrophe, which spreadsheets show as text.
     * A cell that starts with an apostrophe gets one too, so that {@link #restore} is exact.
     */
    static String neutralise(final String text) {
        return !text.isEmpty() && "=+-@\t\r'".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    /** The text of a cell written by {@link #neutralise}. */
    static String restore(final String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    private static UUID uuid(final String text) {
        return text == null || text.isEmpty() ? null : UUID.fromString(text);
    }

    private static Instant instant(final String text) {
        return text == null || text.isEmpty() ? null : Instants.parse(text);
    }
}
