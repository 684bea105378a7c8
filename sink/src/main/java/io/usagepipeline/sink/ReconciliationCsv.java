package io.usagepipeline.sink;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usagepipeline.events.Decimals;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.Reconciliation;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;

/**
 * The layout of {@code reconciliation/YYYY-MM.csv} (documented in the README): one row per tenant, source and
 * workload type with our points, Veeam's, the variance and its cause first, then the report's counts and the
 * evidence. A side that has no line is empty, not 0; text from remote servers never reaches a spreadsheet as a
 * formula.
 */
final class ReconciliationCsv {

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CSV.schemaFor(Row.class).withHeader().withLineSeparator("\r\n");

    private ReconciliationCsv() {
    }

    @JsonPropertyOrder({"tenantId", "month", "licenseType", "ourPoints", "veeamPoints", "variance", "cause",
            "reportStatus", "detail", "ourCount", "initialCount", "reportedCount", "newCount", "weight", "coverage",
            "sourceId", "revision", "reconciliationId", "supersedes", "asOf"})
    record Row(String tenantId, String month, String licenseType, String ourPoints, String veeamPoints,
               String variance, String cause, String reportStatus, String detail, String ourCount,
               String initialCount, String reportedCount, String newCount, String weight, String coverage,
               String sourceId, int revision, String reconciliationId, String supersedes, String asOf) {

        static Row of(final Reconciliation r) {
            return new Row(CsvColumns.neutralise(r.tenantId()), r.month(), CsvColumns.neutralise(r.licenseType()),
                    decimal(r.ourPoints()), decimal(r.veeamPoints()), decimal(r.variance()), r.cause().name(),
                    r.reportStatus() == null ? "" : r.reportStatus().wireName(),
                    r.detail() == null ? "" : CsvColumns.neutralise(r.detail()), count(r.ourCount()),
                    count(r.initialCount()), count(r.reportedCount()), count(r.newCount()), decimal(r.weight()),
                    decimal(r.coverage()), CsvColumns.neutralise(r.sourceId()), r.revision(),
                    r.reconciliationId().toString(), r.supersedes() == null ? "" : r.supersedes().toString(),
                    Instants.format(r.asOf()));
        }
    }

    /** The file's content: a header and the latest revision of every line, by tenant, workload type and source. */
    static String render(final Collection<Reconciliation> lines) {
        try {
            return CSV.writer(SCHEMA).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writeValueAsString(
                    lines.stream().sorted(Comparator.comparing(Reconciliation::tenantId)
                                    .thenComparing(Reconciliation::licenseType).thenComparing(Reconciliation::sourceId))
                            .map(Row::of).toList());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a reconciliation row that CSV cannot hold", e);
        }
    }

    private static String decimal(final BigDecimal value) {
        return value == null ? "" : Decimals.forOutput(value).toPlainString();
    }

    private static String count(final Long value) {
        return value == null ? "" : value.toString();
    }
}
