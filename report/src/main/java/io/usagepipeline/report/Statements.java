package io.usagepipeline.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Decimals;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the statements of a month: {@code index.html} and one page per tenant, each self-contained (inline CSS and
 * SVG, no script, nothing fetched), from Mustache templates that escape every value. Amounts on the page are the
 * same decimals as in the charge files. The provider's pages show what it pays Veeam and its margin, the
 * reconciliation and the alerts; a customer's copy ({@link #writeCustomerCopies}) shows none of them.
 */
public final class Statements {

    private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("templates");
    /** An alert's times as a person reads them; alerts.csv and the topic keep the wire form of the same instant. */
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Comparator<ChargeLine> INVOICE_ORDER = Comparator
            .comparing((ChargeLine line) -> line.line().equals(ChargeLine.TOTAL) ? 2
                    : line.line().equals(ChargeLine.MINIMUM_TOP_UP) ? 1 : 0)
            .thenComparing(ChargeLine::line);

    private Statements() {
    }

    /**
     * The provider's statements.
     *
     * @param tenant only this tenant's statement (and the index), or every tenant's
     * @return the index page
     */
    public static Path write(final Path dir, final MonthData data, final Optional<String> tenant) throws IOException {
        Files.createDirectories(dir);
        final Map<String, List<ChargeLine>> byTenant = byTenant(data, tenant);
        final List<Reconciliation> reconciliation = data.reconciliation().stream()
                .filter(line -> tenant.map(line.tenantId()::equals).orElse(true))
                .sorted(Comparator.comparing(Reconciliation::tenantId).thenComparing(Reconciliation::licenseType)
                        .thenComparing(Reconciliation::sourceId))
                .toList();
        final Map<String, ChargeLine> previous = new TreeMap<>();
        data.previousTotals().stream().filter(line -> tenant.map(line.tenantId()::equals).orElse(true))
                .forEach(line -> previous.put(line.tenantId(), line));
        final List<Map<String, Object>> rows = new ArrayList<>();
        final List<ChargeLine> totals = new ArrayList<>();
        for (final Map.Entry<String, List<ChargeLine>> entry : byTenant.entrySet()) {
            final String file = fileName(entry.getKey());
            final Map<String, Object> statement = statement(data, entry.getKey(), entry.getValue(), true);
            Files.writeString(dir.resolve(file), render("statement.mustache", statement), StandardCharsets.UTF_8);
            final ChargeLine total = total(entry.getValue());
            totals.add(total);
            rows.add(indexRow(entry.getKey(), file, total, previous.get(entry.getKey()), reconciliation));
        }
        final Map<String, Object> index = new LinkedHashMap<>();
        index.put("month", data.month().toString());
        index.put("previousMonth", data.month().minusMonths(1).toString());
        index.put("tenants", rows);
        index.put("empty", rows.isEmpty());
        index.put("chart", TotalsChart.of(rows));
        index.put("currency", rows.isEmpty() ? "" : rows.get(0).get("currency"));
        index.put("sum", sum(totals, previous));
        // a tenant billed last month and not this one: a lost customer, or a source that stopped answering
        final String gone = previous.values().stream().filter(line -> !byTenant.containsKey(line.tenantId()))
                .map(line -> line.tenantId() + " (" + money(line.amount()) + " " + line.currency() + ")")
                .collect(Collectors.joining(", "));
        index.put("gone", rows.isEmpty() || gone.isEmpty() ? null : gone);
        index.put("report", report(reconciliation, byTenant.keySet()));
        final Path indexFile = dir.resolve("index.html");
        Files.writeString(indexFile, render("index.mustache", index), StandardCharsets.UTF_8);
        return indexFile;
    }

    /**
     * A tenant's row of the index: its TOTAL, how its amount changed from the month before, and flags for unpriced
     * lines and report lines that need a look.
     *
     * @param previous its TOTAL of the month before; null if it had none
     */
    private static Map<String, Object> indexRow(final String tenant, final String file, final ChargeLine total,
                                                final ChargeLine previous,
                                                final List<Reconciliation> reconciliation) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant", tenant);
        row.put("file", file);
        row.put("amount", money(total.amount()));
        row.put("points", decimal(total.points()));
        row.put("cost", money(total.cost()));
        row.put("margin", money(total.margin()));
        row.put("previous", previous == null ? "–" : money(previous.amount()));
        row.put("change", previous == null ? "new" : change(total.amount(), previous.amount(),
                previous.currency().equals(total.currency())));
        row.put("currency", total.currency());
        row.put("priced", total.priced());
        final long toCheck = reconciliation.stream()
                .filter(line -> line.tenantId().equals(tenant) && line.cause().needsAttention()).count();
        row.put("toCheck", toCheck == 0 ? null : toCheck); // a number is no false to Mustache, even 0
        row.put("amountValue", total.amount());
        row.put("costValue", total.cost() == null ? BigDecimal.ZERO : total.cost());
        return row;
    }

    /**
     * The month's amount, Veeam points, cost and margin over the tenants listed; none when their TOTALs are in more
     * than one currency (a rate card's currency changed and not every month was priced again), which do not add up.
     */
    private static Map<String, Object> sum(final List<ChargeLine> totals, final Map<String, ChargeLine> previous) {
        if (totals.isEmpty() || totals.stream().map(ChargeLine::currency).distinct().count() > 1) {
            return null;
        }
        final BigDecimal amount = add(totals, ChargeLine::amount);
        final List<ChargeLine> before = totals.stream().map(total -> previous.get(total.tenantId()))
                .filter(Objects::nonNull).toList();
        final Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("amount", money(amount));
        sum.put("points", decimal(add(totals, ChargeLine::points)));
        sum.put("cost", money(add(totals, ChargeLine::cost)));
        sum.put("margin", money(add(totals, ChargeLine::margin)));
        sum.put("previous", before.isEmpty() ? "–" : money(add(before, ChargeLine::amount)));
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
        return (change.signum() > 0 ? "+" : "") + money(change);
    }

    private static BigDecimal add(final List<ChargeLine> totals, final Function<ChargeLine, BigDecimal> figure) {
        return totals.stream().map(figure).filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The index's account of Veeam's report: how many lines agree, how many differ by new workloads only and how
     * many need a look, and every line that does not agree, the report's organizations we bill nothing for
     * included, which have no statement of their own to show them.
     */
    private static Map<String, Object> report(final List<Reconciliation> lines, final Set<String> withStatement) {
        final List<Map<String, Object>> differing = lines.stream()
                .filter(line -> line.cause() != ReconciliationCause.NONE).map(line -> {
                    final Map<String, Object> row = reconciliation(line);
                    row.put("tenant", line.tenantId());
                    row.put("file", withStatement.contains(line.tenantId()) ? fileName(line.tenantId()) : null);
                    return row;
                }).toList();
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("none", lines.isEmpty());
        report.put("agree", lines.stream().filter(line -> line.cause() == ReconciliationCause.NONE).count());
        report.put("newWorkloads", lines.stream()
                .filter(line -> line.cause() == ReconciliationCause.NEW_WORKLOADS).count());
        report.put("toCheck", lines.stream().filter(line -> line.cause().needsAttention()).count());
        report.put("status", lines.stream().map(Reconciliation::reportStatus).filter(Objects::nonNull)
                .map(ReportStatus::wireName).distinct().collect(Collectors.joining(", ")));
        report.put("lines", differing);
        report.put("differ", !differing.isEmpty());
        return report;
    }

    /**
     * The pages the tenants receive: their charge lines and totals, usage and evidence, without what the provider pays
     * Veeam, its margin, the reconciliation with Veeam's report, the alerts or a link to the index. A tenant whose
     * month has an unpriced line gets no page: it would bill the line at 0 (the provider's page flags it).
     *
     * @param tenant only this tenant's page, or every tenant's
     */
    public static CustomerCopies writeCustomerCopies(final Path dir, final MonthData data,
                                                     final Optional<String> tenant) throws IOException {
        Files.createDirectories(dir);
        final List<String> written = new ArrayList<>();
        final List<String> withheld = new ArrayList<>();
        for (final Map.Entry<String, List<ChargeLine>> entry : byTenant(data, tenant).entrySet()) {
            if (entry.getValue().stream().anyMatch(line -> !line.priced())) {
                withheld.add(entry.getKey());
                continue;
            }
            final Map<String, Object> statement = statement(data, entry.getKey(), entry.getValue(), false);
            Files.writeString(dir.resolve(fileName(entry.getKey())), render("statement.mustache", statement),
                    StandardCharsets.UTF_8);
            written.add(entry.getKey());
        }
        return new CustomerCopies(written, withheld);
    }

    /** The tenants whose customer copy was written, and those left out for an unpriced line. */
    public record CustomerCopies(List<String> written, List<String> withheld) {
    }

    private static Map<String, List<ChargeLine>> byTenant(final MonthData data, final Optional<String> tenant) {
        final Map<String, List<ChargeLine>> byTenant = new TreeMap<>();
        data.charges().stream().filter(line -> tenant.map(line.tenantId()::equals).orElse(true))
                .forEach(line -> byTenant.computeIfAbsent(line.tenantId(), t -> new ArrayList<>()).add(line));
        return byTenant;
    }

    /** A file name for a tenant id that cannot leave the directory or clash with the index. */
    static String fileName(final String tenant) {
        final String safe = tenant.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.equals(tenant) && !safe.equals("index") ? safe
                : safe + "-" + UUID.nameUUIDFromBytes(tenant.getBytes(StandardCharsets.UTF_8)).toString()
                        .substring(0, 8)) + ".html";
    }

    /** @param provider the provider's page (its cost, margin, reconciliation, alerts), or the customer's copy */
    private static Map<String, Object> statement(final MonthData data, final String tenant,
                                                 final List<ChargeLine> lines, final boolean provider) {
        lines.sort(INVOICE_ORDER);
        final ChargeLine total = total(lines);
        final Map<String, Object> page = new LinkedHashMap<>();
        page.put("provider", provider);
        page.put("tenant", tenant);
        page.put("month", data.month().toString());
        page.put("currency", total.currency());
        page.put("lines", lines.stream().filter(line -> !line.line().equals(ChargeLine.TOTAL))
                .map(line -> line(line, provider)).toList());
        page.put("total", line(total, provider));
        page.put("unpriced", lines.stream().anyMatch(line -> !line.priced()));
        final List<PeriodRecord> days = data.records().values().stream()
                .filter(record -> record.tenantId().equals(tenant) && record.granularity() == Granularity.DAY)
                .toList();
        page.put("charts", DayChart.of(data.month(), days));
        page.put("evidence", lines.stream().filter(line -> !line.billingRecordIds().isEmpty()
                && !line.line().equals(ChargeLine.TOTAL) && !line.line().equals(ChargeLine.MINIMUM_TOP_UP))
                .map(line -> evidence(data, line)).toList());
        if (!provider) {
            return page; // the customer's copy: nothing of the reconciliation or the alerts reaches its scope
        }
        final List<Map<String, Object>> reconciliation = data.reconciliation().stream()
                .filter(line -> line.tenantId().equals(tenant))
                .sorted(Comparator.comparing(Reconciliation::licenseType).thenComparing(Reconciliation::sourceId))
                .map(Statements::reconciliation).toList();
        page.put("reconciliation", reconciliation);
        page.put("noReconciliation", reconciliation.isEmpty());
        final List<Map<String, Object>> alerts = data.alerts().stream()
                .filter(alert -> tenant.equals(alert.tenantId())).map(Statements::alert).toList();
        page.put("alerts", alerts);
        page.put("noAlerts", alerts.isEmpty());
        return page;
    }

    private static ChargeLine total(final List<ChargeLine> lines) {
        return lines.stream().filter(line -> line.line().equals(ChargeLine.TOTAL)).findFirst().orElseThrow(() ->
                new IllegalStateException("a tenant's month without its TOTAL line: " + lines.get(0).tenantId()));
    }

    /** @param provider the provider's page, which flags every restated line; a customer's flags those that moved */
    private static Map<String, Object> line(final ChargeLine line, final boolean provider) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("line", line.line());
        row.put("basis", line.basis() == null ? "" : line.basis());
        row.put("quantity", decimal(line.quantity()));
        row.put("unit", line.unit() == null ? "" : line.unit());
        row.put("unitPrice", line.unitPrice() != null ? decimal(line.unitPrice())
                : line.tiersApplied().isEmpty() ? "" : "tiered");
        row.put("tiers", line.tiersApplied().stream().map(tier -> decimal(tier.quantity()) + " × "
                + decimal(tier.unitPrice())).collect(Collectors.joining(" + ")));
        row.put("discount", line.discountPercent() == null || line.discountPercent().signum() == 0 ? ""
                : decimal(line.discountPercent()) + " %");
        row.put("amount", money(line.amount()));
        row.put("points", decimal(line.points()));
        row.put("cost", money(line.cost()));
        row.put("margin", money(line.margin()));
        row.put("priced", line.priced());
        row.put("restated", restatement(line, provider));
        row.put("chargeId", line.chargeId().toString());
        return row;
    }

    /**
     * What a restated line's flag says, or null. A new card version restates every line of the months it covers, the
     * lines at their old price too: the provider's page says so of each, and a customer's copy, which would otherwise
     * flag every line of a month whose price did not move, flags only the lines whose amount changed.
     */
    private static String restatement(final ChargeLine line, final boolean provider) {
        if (line.revision() <= 1) {
            return null;
        }
        final boolean moved = line.delta() != null && line.delta().signum() != 0;
        if (!moved) {
            return provider ? "revision " + line.revision() + ", amount unchanged" : null;
        }
        final String delta = (line.delta().signum() > 0 ? "+" : "") + money(line.delta());
        return provider ? "revision " + line.revision() + ", " + delta : "revised, " + delta;
    }

    /** The records a line was priced from, and for each restated one, what its restatements changed. */
    private static Map<String, Object> evidence(final MonthData data, final ChargeLine line) {
        final List<Map<String, Object>> records = new ArrayList<>();
        for (final UUID id : line.billingRecordIds()) {
            final PeriodRecord record = data.revisions().get(id);
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("recordId", id.toString());
            if (record == null) {
                row.put("series", "(not on the billing topic any more)");
                records.add(row);
                continue;
            }
            row.put("series", record.seriesKey());
            row.put("status", record.status().name());
            row.put("revision", record.revision());
            row.put("coverage", decimal(record.coverage()));
            row.put("partial", record.coverage().compareTo(BigDecimal.ONE) < 0);
            row.put("changes", changes(data, record));
            records.add(row);
        }
        final Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("line", line.line());
        evidence.put("records", records);
        return evidence;
    }

    /** Each restatement of a record, newest first: its revision and the figures it changed. */
    private static List<String> changes(final MonthData data, final PeriodRecord latest) {
        final List<String> changes = new ArrayList<>();
        for (PeriodRecord record = latest; record.supersedes() != null; ) {
            final PeriodRecord previous = data.revisions().get(record.supersedes());
            if (previous == null) {
                changes.add("revision " + record.revision() + " supersedes " + record.supersedes());
                break;
            }
            final List<String> fields = new ArrayList<>();
            compare(fields, "peakUnits", previous.peakUnits(), record.peakUnits());
            compare(fields, "avgUnits", previous.avgUnits(), record.avgUnits());
            compare(fields, "lastUnits", previous.lastUnits(), record.lastUnits());
            compare(fields, "unitHours", previous.unitHours(), record.unitHours());
            compare(fields, "coverage", previous.coverage(), record.coverage());
            compare(fields, "peakCount", BigDecimal.valueOf(previous.peakCount()),
                    BigDecimal.valueOf(record.peakCount()));
            changes.add("revision " + record.revision() + ": " + (fields.isEmpty() ? "no figure changed"
                    : String.join(", ", fields)));
            record = previous;
        }
        return changes;
    }

    private static void compare(final List<String> fields, final String name, final BigDecimal before,
                                final BigDecimal after) {
        if (before.compareTo(after) != 0) {
            fields.add(name + " " + decimal(before) + " → " + decimal(after));
        }
    }

    private static Map<String, Object> reconciliation(final Reconciliation line) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("licenseType", line.licenseType());
        row.put("ours", line.ourPoints() == null ? "–" : decimal(line.ourPoints()));
        row.put("veeam", line.veeamPoints() == null ? "–" : decimal(line.veeamPoints()));
        row.put("variance", decimal(line.variance()));
        row.put("cause", line.cause().name());
        row.put("agrees", line.cause() == ReconciliationCause.NONE);
        row.put("attention", line.cause().needsAttention());
        row.put("status", line.reportStatus() == null ? "" : line.reportStatus().wireName());
        row.put("detail", line.detail() == null ? "" : line.detail());
        return row;
    }

    private static Map<String, Object> alert(final Alert alert) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", alert.kind().name());
        row.put("subject", alert.subject());
        row.put("startedAt", WHEN.format(alert.startedAt()));
        row.put("resolvedAt", alert.resolvedAt() == null ? "open" : WHEN.format(alert.resolvedAt()));
        row.put("detail", alert.detail() == null ? "" : alert.detail());
        return row;
    }

    static String render(final String template, final Object scope) {
        final Mustache mustache = TEMPLATES.compile(template);
        final StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }

    /** As in the charge files: the scale the amount was rounded to. */
    private static String money(final BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static String decimal(final BigDecimal value) {
        return value == null ? "" : Decimals.forOutput(value).toPlainString();
    }
}
