package io.usagepipeline.cli.run;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.runtime.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the demo prints once its pipeline has caught up, read back from the files its sink wrote, as a billing person
 * would read them: last month's usage per tenant and license type, each tenant's amount, cost and margin, every line
 * where Veeam's report differs from our points, and the alerts of the simulated days.
 *
 * @param out     the demo's output folder
 * @param config  the configuration the demo ran with, its sample rate card included
 * @param days    how many days the simulated history reaches back
 * @param jdbcUrl the database the sink also wrote to; null for none
 */
public record DemoSummary(Path out, Path config, int days, String jdbcUrl) {

    /** Last month's FINAL billing per tenant and license type, from the month file the sink wrote. */
    public void print(final PrintWriter console, final int polls) throws IOException {
        final YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        final Path file = out.resolve("month").resolve(lastMonth + ".csv");
        console.println();
        if (!Files.exists(file)) {
            console.println("No month has closed yet; rolling totals are in " + out.resolve("open-totals.csv"));
            return;
        }
        final List<Map<String, String>> rows = rows(file);
        rows.sort(Comparator.comparing((Map<String, String> row) -> row.get("tenantId"))
                .thenComparing(row -> row.get("licenseType")));
        console.printf("Billing for %s (UTC), latest revision of each series. Coverage below 1 is the share of the "
                + "month the simulated history reaches (it starts %d days ago).%n%n", lastMonth, days);
        final String format = "%-12s %-30s %-10s %12s %12s %14s %9s%n";
        console.printf(format, "tenant", "license type", "unit", "avg units", "peak units", "unit-hours",
                "coverage");
        console.printf(format, "-".repeat(12), "-".repeat(30), "-".repeat(10), "-".repeat(12), "-".repeat(12),
                "-".repeat(14), "-".repeat(9));
        for (final Map<String, String> row : rows) {
            console.printf(format, row.get("tenantId"), row.get("licenseType"), row.get("unit"), row.get("avgUnits"),
                    row.get("peakUnits"), row.get("unitHours"), row.get("coverage"));
        }
        final long partial = rows.stream().filter(row -> "true".equals(row.get("partial"))).count();
        if (partial > 0) {
            console.printf("%nWARNING: %d of %d series cover only part of %s (partial = true, coverage < 1): check "
                    + "them before billing.%n", partial, rows.size(), lastMonth);
        }
        chargesSummary(console, lastMonth, rows);
        reconciliationSummary(console, lastMonth);
        alertsSummary(console);
        console.printf("%n%s series from %s polls. Files: %s (day/, month/, charges/, reconciliation/, alerts.csv, "
                + "history.jsonl, open-totals.csv)%n", Progress.count(rows.size()), Progress.count(polls),
                out.toAbsolutePath());
        if (jdbcUrl != null) { // the same records, which a user who asked for the database looks for there
            console.printf("Tables: %s (billing_records, billing_record_revisions, charges, charge_revisions, "
                    + "reconciliation, alerts, open_totals)%n", jdbcUrl);
        }
    }

    /**
     * Per tenant: how many series it has, the Veeam points the provider pays for them, its amount, cost and margin,
     * from the charges file the sink wrote; then the month's sums.
     */
    private void chargesSummary(final PrintWriter console, final YearMonth month, final List<Map<String, String>> usage)
            throws IOException {
        final Map<String, Integer> series = new TreeMap<>();
        usage.forEach(row -> series.merge(row.get("tenantId"), 1, Integer::sum));
        final List<Map<String, String>> charges = rows(out.resolve("charges").resolve(month + ".csv"));
        final String currency = charges.isEmpty() ? "" : charges.get(0).get("currency");
        console.printf("%nCharges for %s with the sample rate card (the 'rating:' block of %s), in %s:%n%n", month,
                config.toAbsolutePath(), currency);
        final String format = "%-12s %7s %13s %12s %12s %12s%n";
        console.printf(format, "tenant", "series", "Veeam points", "amount", "cost", "margin");
        console.printf(format, "-".repeat(12), "-".repeat(7), "-".repeat(13), "-".repeat(12), "-".repeat(12),
                "-".repeat(12));
        final List<Map<String, String>> totals = charges.stream()
                .filter(row -> row.get("line").equals(ChargeLine.TOTAL)).toList();
        totals.forEach(total -> console.printf(format, total.get("tenantId"), series.get(total.get("tenantId")),
                total.get("points"), total.get("amount"), total.get("cost"), total.get("margin")));
        console.printf(format, "", "", "-".repeat(13), "-".repeat(12), "-".repeat(12), "-".repeat(12));
        console.printf(format, "total", usage.size(), sum(totals, "points"), sum(totals, "amount"),
                sum(totals, "cost"), sum(totals, "margin"));
        charges.stream().filter(row -> row.get("priced").equals("false") && !row.get("line").equals(ChargeLine.TOTAL))
                .forEach(row -> console.printf("UNPRICED: %s %s: no line of card '%s' matches it; it is published "
                        + "with amount 0 until a card line prices it%n", row.get("tenantId"), row.get("line"),
                        row.get("cardId")));
    }

    /**
     * Each variance between our points and Veeam's report of the month, with its cause: first how many lines agree,
     * how many differ by new workloads only (billed by Veeam from next month) and how many need a look.
     */
    private void reconciliationSummary(final PrintWriter console, final YearMonth month) throws IOException {
        final Path file = out.resolve("reconciliation").resolve(month + ".csv");
        if (!Files.exists(file)) {
            return;
        }
        final List<Map<String, String>> lines = rows(file);
        final Map<Boolean, Long> attention = new TreeMap<>(lines.stream().filter(line -> !line.get("cause")
                .equals(ReconciliationCause.NONE.name())).collect(Collectors.partitioningBy(line ->
                ReconciliationCause.valueOf(line.get("cause")).needsAttention(), Collectors.counting())));
        final String status = lines.isEmpty() ? "-" : lines.get(0).get("reportStatus");
        // a final report's approval has passed: each line's detail says what to do now
        final String when = ReportStatus.of(status).isFinal() ? " (the report is approved already)"
                : " before the report is approved";
        console.printf("%nVeeam's license report for %s (%s) against our points, per tenant and workload type "
                        + "(reconciliation/%s.csv says why): %d agree, %d differ by new workloads only (Veeam bills "
                        + "them from next month), %d need a look%s:%n%n", month, status, month,
                lines.size() - attention.getOrDefault(false, 0L) - attention.getOrDefault(true, 0L),
                attention.getOrDefault(false, 0L), attention.getOrDefault(true, 0L), when);
        final String format = "%-20s %-22s %10s %10s %10s  %s%n";
        console.printf(format, "tenant", "workload type", "ours", "Veeam", "variance", "cause");
        console.printf(format, "-".repeat(20), "-".repeat(22), "-".repeat(10), "-".repeat(10), "-".repeat(10),
                "-".repeat(18));
        lines.stream().filter(line -> !line.get("cause").equals(ReconciliationCause.NONE.name()))
                .forEach(line -> console.printf(format, line.get("tenantId"), line.get("licenseType"),
                        orDash(line.get("ourPoints")), orDash(line.get("veeamPoints")), line.get("variance"),
                        line.get("cause")));
    }

    /** A column of the charges file added up, exactly, as written there. */
    private static String sum(final List<Map<String, String>> rows, final String column) {
        return rows.stream().map(row -> row.get(column)).filter(cell -> !cell.isEmpty()).map(BigDecimal::new)
                .reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString();
    }

    private static String orDash(final String cell) {
        return cell.isEmpty() ? "-" : cell;
    }

    /** How many alert episodes of each kind the simulated days raised, and which are still open. */
    private void alertsSummary(final PrintWriter console) throws IOException {
        final Path file = out.resolve("alerts.csv");
        if (!Files.exists(file)) {
            return;
        }
        final Map<String, Integer> episodes = new TreeMap<>();
        final List<String> open = new ArrayList<>();
        for (final Map<String, String> alert : rows(file)) {
            episodes.merge(alert.get("kind"), 1, Integer::sum);
            if (alert.get("resolvedAt").isEmpty()) {
                open.add(alert.get("subject") + " (" + alert.get("kind") + ", since "
                        + alert.get("startedAt").substring(0, "yyyy-mm-dd".length()) + ")");
            }
        }
        console.printf("%nAlerts of the simulated days (every episode is in alerts.csv): %s%n", episodes.entrySet()
                .stream().map(kind -> kind.getValue() + " " + kind.getKey()).collect(Collectors.joining(", ")));
        open.stream().sorted().forEach(alert -> console.printf("  still open: %s%n", alert)); // a tenant's together
    }

    /** The rows of a CSV file the sink wrote, by column name. */
    public static List<Map<String, String>> rows(final Path file) throws IOException {
        final List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
