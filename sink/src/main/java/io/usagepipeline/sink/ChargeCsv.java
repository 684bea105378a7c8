package io.usagepipeline.sink;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Decimals;
import io.usagepipeline.events.Instants;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The layout of {@code charges/YYYY-MM.csv} (documented in the README): one row per tenant and line, first the
 * columns a PSA or accounting import maps (tenant, month, line, quantity, unit, unit price, amount, currency), then
 * the evidence. Amounts keep the scale they were rounded to ({@code 25.00}); other decimals are plain with at most 6
 * fractional digits; text from remote servers never reaches a spreadsheet as a formula.
 */
final class ChargeCsv {

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CSV.schemaFor(Row.class).withHeader().withLineSeparator("\r\n");
    /** Lines of a tenant in the order an invoice lists them: license types, the top-up, the total. */
    private static final Comparator<ChargeLine> INVOICE_ORDER = Comparator.comparing(ChargeLine::tenantId)
            .thenComparing(line -> line.line().equals(ChargeLine.TOTAL) ? 2
                    : line.line().equals(ChargeLine.MINIMUM_TOP_UP) ? 1 : 0)
            .thenComparing(ChargeLine::line);

    private ChargeCsv() {
    }

    @JsonPropertyOrder({"tenantId", "month", "line", "quantity", "unit", "unitPrice", "amount", "currency", "basis",
            "points", "cost", "margin", "priced", "discountPercent", "cardId", "cardVersion", "status", "revision",
            "delta", "chargeId", "supersedes", "billingRecordIds", "zone", "asOf"})
    record Row(String tenantId, String month, String line, String quantity, String unit, String unitPrice,
               String amount, String currency, String basis, String points, String cost, String margin,
               boolean priced, String discountPercent, String cardId, String cardVersion, String status,
               int revision, String delta, String chargeId, String supersedes, String billingRecordIds,
               String zone, String asOf) {

        static Row of(final ChargeLine c) {
            return new Row(CsvColumns.neutralise(c.tenantId()), c.month(), CsvColumns.neutralise(c.line()),
                    decimal(c.quantity()), c.unit(), decimal(c.unitPrice()), money(c.amount()), c.currency(),
                    c.basis(), decimal(c.points()), money(c.cost()), money(c.margin()), c.priced(),
                    decimal(c.discountPercent()), c.cardId(), c.cardVersion(), c.status().name(), c.revision(),
                    money(c.delta()), c.chargeId().toString(), c.supersedes() == null ? "" : c.supersedes().toString(),
                    c.billingRecordIds().stream().map(UUID::toString).collect(Collectors.joining(" ")), c.zone(),
                    Instants.format(c.asOf()));
        }
    }

    /** The file's content: a header and the latest revision of every line, in invoice order. */
    static String render(final Collection<ChargeLine> lines) {
        try {
            return CSV.writer(SCHEMA).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writeValueAsString(lines.stream().sorted(INVOICE_ORDER).map(Row::of).toList());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a charge row that CSV cannot hold", e);
        }
    }

    private static String decimal(final BigDecimal value) {
        return value == null ? "" : Decimals.forOutput(value).toPlainString();
    }

    private static String money(final BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }
}
