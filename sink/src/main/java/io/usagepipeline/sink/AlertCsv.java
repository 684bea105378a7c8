package io.usagepipeline.sink;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.Instants;
import java.util.Collection;
import java.util.Comparator;

/**
 * The layout of {@code alerts.csv} (documented in the README): one row per alert episode, oldest first, with its end
 * once it has one; text from remote servers never reaches a spreadsheet as a formula.
 */
final class AlertCsv {

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CSV.schemaFor(Row.class).withHeader().withLineSeparator("\r\n");

    private AlertCsv() {
    }

    @JsonPropertyOrder({"kind", "tenantId", "subject", "startedAt", "resolvedAt", "detail", "alertId"})
    record Row(String kind, String tenantId, String subject, String startedAt, String resolvedAt, String detail,
               String alertId) {

        static Row of(final Alert alert) {
            return new Row(alert.kind().name(), alert.tenantId() == null ? "" : CsvColumns.neutralise(alert.tenantId()),
                    CsvColumns.neutralise(alert.subject()), Instants.format(alert.startedAt()),
                    alert.resolvedAt() == null ? "" : Instants.format(alert.resolvedAt()),
                    alert.detail() == null ? "" : CsvColumns.neutralise(alert.detail()), alert.alertId().toString());
        }
    }

    static String render(final Collection<Alert> alerts) {
        try {
            return CSV.writer(SCHEMA).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writeValueAsString(
                    alerts.stream().sorted(Comparator.comparing(Alert::startedAt).thenComparing(Alert::alertKey))
                            .map(Row::of).toList());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("an alert row that CSV cannot hold", e);
        }
    }
}
