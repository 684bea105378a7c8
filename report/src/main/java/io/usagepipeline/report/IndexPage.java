package io.usagepipeline.report;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.ReportStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The index of a month's statements, what a billing person checks before invoicing and before paying Veeam: every
 * tenant's total, cost, margin and Veeam points beside its amount the month before, the month's sums, the tenants
 * billed the month before and not in this one, and every line of Veeam's report that differs from our points.
 */
public final class IndexPage {

    private IndexPage() {
    }

    /**
     * What the index says, for a console to repeat.
     *
     * @param file        the page
     * @param total       the month's amount over the tenants listed, with its currency; null when their totals are
     *                    in more than one currency
     * @param unpriced    the tenants with an unpriced line
     * @param reportLinesToCheck how many lines of Veeam's report need a look
     * @param notBilled   the tenants billed the month before with no charge line in this one
     * @param partlyKnown the tenants whose month is known in part, each with the share known: {@code globex (45%)}
     */
    public record Index(Path file, String total, List<String> unpriced, long reportLinesToCheck,
                        List<String> notBilled, List<String> partlyKnown) {
    }

    /**
     * @param byTenant the charge lines of each tenant listed
     * @param known    how much of the month each tenant's usage is known for, as its statement says
     */
    static Index write(final Path dir, final MonthData data, final Optional<String> tenant,
                       final Map<String, List<ChargeLine>> byTenant, final MonthKnown known) throws IOException {
        final List<Reconciliation> reconciliation = data.reconciliation().stream()
                .filter(line -> Statements.listed(tenant, line.tenantId()))
                .sorted(Comparator.comparing(Reconciliation::tenantId).thenComparing(Reconciliation::licenseType)
                        .thenComparing(Reconciliation::sourceId))
                .toList();
        final List<Reconciliation> toCheck = reconciliation.stream().filter(line -> line.cause().needsAttention())
                .toList();
        final Map<String, Long> toCheckOf = toCheck.stream()
                .collect(Collectors.groupingBy(Reconciliation::tenantId, Collectors.counting()));
        final Map<String, ChargeLine> previous = new TreeMap<>();
        data.previous().totals().stream().filter(line -> Statements.listed(tenant, line.tenantId()))
                .forEach(line -> previous.put(line.tenantId(), line));
        final MonthKnown knownBefore = new MonthKnown(data.previous().months());
        final List<Map<String, Object>> rows = new ArrayList<>();
        final List<ChargeLine> totals = new ArrayList<>();
        for (final Map.Entry<String, List<ChargeLine>> entry : byTenant.entrySet()) {
            final ChargeLine total = Statements.total(entry.getValue());
            totals.add(total);
            final Map<String, Object> row = row(entry.getKey(), total, previous.get(entry.getKey()), toCheckOf);
            row.put("partly", known.partly(entry.getKey()));
            row.put("partlyBefore", previous.containsKey(entry.getKey()) ? knownBefore.partly(entry.getKey()) : null);
            rows.add(row);
        }
        // a tenant billed last month and not this one: a lost customer, or a source that stopped answering
        final List<ChargeLine> notBilled = rows.isEmpty() ? List.of() : previous.values().stream()
                .filter(line -> !byTenant.containsKey(line.tenantId())).toList();
        final Map<String, Object> sum = sum(totals, previous);
        final Map<String, Object> index = new LinkedHashMap<>();
        index.put("month", data.month().toString());
        index.put("previousMonth", data.month().minusMonths(1).toString());
        // a first month priced has nothing to be compared with: no column of "new" on every row
        index.put("compared", !previous.isEmpty());
        index.put("tenants", rows);
        index.put("empty", rows.isEmpty());
        index.put("chart", TotalsChart.of(rows));
        index.put("currency", rows.isEmpty() ? "" : rows.get(0).get("currency"));
        index.put("sum", sum);
        index.put("partial", rows.stream().anyMatch(row -> row.get("partly") != null
                || row.get("partlyBefore") != null));
        index.put("gone", notBilled.isEmpty() ? null : notBilled.stream().map(line -> line.tenantId() + " ("
                + Statements.money(line.amount()) + " " + line.currency() + ")").collect(Collectors.joining(", ")));
        index.put("report", report(reconciliation, toCheck.size(), byTenant.keySet()));
        final Path file = dir.resolve("index.html");
        Files.writeString(file, Statements.render("index.mustache", index), StandardCharsets.UTF_8);
        return new Index(file, sum == null ? null : sum.get("amount") + " " + totals.get(0).currency(),
                totals.stream().filter(total -> !total.priced()).map(ChargeLine::tenantId).toList(),
                toCheck.size(),
                notBilled.stream().map(ChargeLine::tenantId).toList(),
                rows.stream().filter(row -> row.get("partly") != null)
                        .map(row -> row.get("tenant") + " (" + row.get("partly") + ")").toList());
    }

    /**
     * A tenant's row: its TOTAL, how its amount changed from the month before, and flags for unpriced lines and
     * report lines that need a look.
     *
     * @param previous its TOTAL of the month before; null if it had none
     * @param toCheck  how many of the month's report lines that need a look are each tenant's
     */
    private static Map<String, Object> row(final String tenant, final ChargeLine total, final ChargeLine previous,
                                           final Map<String, Long> toCheck) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant", tenant);
        row.put("file", Statements.fileName(tenant));
        row.put("amount", Statements.money(total.amount()));
        row.put("points", Statements.decimal(total.points()));
        row.put("cost", Statements.money(total.cost()));
        row.put("margin", Statements.money(total.margin()));
        row.put("previous", previous == null ? "–" : Statements.money(previous.amount()));
        row.put("change", previous == null ? "new" : change(total.amount(), previous.amount(),
                previous.currency().equals(total.currency())));
        row.put("currency", total.currency());
        row.put("priced", total.priced());
        row.put("toCheck", toCheck.get(tenant)); // absent, not 0: a number is no false to Mustache, even 0
        row.put("amountValue", total.amount());
        row.put("costValue", total.cost() == null ? BigDecimal.ZERO : total.cost());
        return row;
    }

    /**
     * The month's amount, cost, margin and Veeam points over the tenants listed, and their amount the month before;
     * none when their TOTALs are in more than one currency (a rate card's currency changed and not every month was
     * priced again), which do not add up.
     */
    private static Map<String, Object> sum(final List<ChargeLine> totals, final Map<String, ChargeLine> previous) {
        if (totals.isEmpty() || totals.stream().map(ChargeLine::currency).distinct().count() > 1) {
            return null;
        }
        final BigDecimal amount = add(totals, ChargeLine::amount);
        final List<ChargeLine> before = totals.stream().map(total -> previous.get(total.tenantId()))
                .filter(Objects::nonNull).toList();
        final Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("amount", Statements.money(amount));
        sum.put("points", Statements.decimal(add(totals, ChargeLine::points)));
        sum.put("cost", Statements.money(add(totals, ChargeLine::cost)));
        sum.put("margin", Statements.money(add(totals, ChargeLine::margin)));
        sum.put("previous", before.isEmpty() ? "–" : Statements.money(add(before, ChargeLine::amount)));
        sum.put("change", before.isEmpty() ? "" : change(amount, add(before, ChargeLine::amount),
                before.stream().allMatch(line -> line.currency().equals(totals.get(0).currency()))));
        return sum;
    }

    /** An amount's change from the month before, signed; none between two currencies. */
    private static String change(final BigDecimal amount, final BigDecimal previous, final boolean sameCurrency) {
        if (!sameCurrency) {
            return "";
        }
        final BigDecimal change = amount.subtract(previous);
        return (change.signum() > 0 ? "+" : "") + Statements.money(change);
    }

    private static BigDecimal add(final List<ChargeLine> totals, final Function<ChargeLine, BigDecimal> figure) {
        return totals.stream().map(figure).filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * Veeam's report against ours: how many lines agree, how many differ by new workloads only and how many need a
     * look, and every line that does not agree, the report's organizations we bill nothing for included, which have
     * no statement of their own to show them.
     */
    private static Map<String, Object> report(final List<Reconciliation> lines, final int toCheck,
                                              final Set<String> withStatement) {
        final List<Map<String, Object>> differing = lines.stream()
                .filter(line -> line.cause() != ReconciliationCause.NONE).map(line -> {
                    final Map<String, Object> row = Statements.reconciliation(line);
                    row.put("tenant", line.tenantId());
                    row.put("file", withStatement.contains(line.tenantId()) ? Statements.fileName(line.tenantId())
                            : null);
                    return row;
                }).toList();
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("none", lines.isEmpty());
        report.put("agree", lines.stream().filter(line -> line.cause() == ReconciliationCause.NONE).count());
        report.put("newWorkloads", lines.stream()
                .filter(line -> line.cause() == ReconciliationCause.NEW_WORKLOADS).count());
        report.put("toCheck", toCheck);
        report.put("status", lines.stream().map(Reconciliation::reportStatus).filter(Objects::nonNull)
                .map(ReportStatus::wireName).distinct().collect(Collectors.joining(", ")));
        report.put("lines", differing);
        report.put("differ", !differing.isEmpty());
        return report;
    }
}
