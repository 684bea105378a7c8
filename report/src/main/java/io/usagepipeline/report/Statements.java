package io.usagepipeline.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Decimals;
import io.usagepipeline.events.PeriodRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes the statements of a month: one page per tenant and the index ({@link IndexPage}), each self-contained
 * (inline CSS and SVG, no script, nothing fetched), from Mustache templates that escape every value. Amounts on the
 * page are the same decimals as in the charge files. The provider's pages show what it pays Veeam and its margin, the
 * reconciliation and the alerts; a customer's copy ({@link #writeCustomerCopies}) shows none of them.
 */
public final class Statements {

    private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("templates");
    /** An alert's times as a person reads them; alerts.csv and the topic keep the wire form of the same instant. */
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Where a month begins or ends at a change of billing zone: in its zone, with UTC's time beside it. */
    private static final DateTimeFormatter CHANGEOVER = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final Comparator<ChargeLine> INVOICE_ORDER = Comparator
            .comparing((ChargeLine line) -> line.line().equals(ChargeLine.TOTAL) ? 2
                    : line.line().equals(ChargeLine.MINIMUM_TOP_UP) ? 1 : 0)
            .thenComparing(ChargeLine::line);

    private Statements() {
    }

    /**
     * The provider's statements, and the index of them.
     *
     * @param tenant     only this tenant's statement (and the index), or every tenant's
     * @param letterhead who the pages are from, and the customers' names
     */
    public static IndexPage.Index write(final Path dir, final MonthData data, final Optional<String> tenant,
                                        final Letterhead letterhead) throws IOException {
        Files.createDirectories(dir);
        final Map<String, List<ChargeLine>> byTenant = byTenant(data, tenant);
        final MonthKnown known = new MonthKnown(data.records().values());
        final TenantParts parts = new TenantParts(data);
        for (final Map.Entry<String, List<ChargeLine>> entry : byTenant.entrySet()) {
            final Map<String, Object> statement = statement(data, entry.getKey(), entry.getValue(), parts,
                    letterhead, true);
            statement.put("partly", known.partly(entry.getKey()));
            Files.writeString(dir.resolve(fileName(entry.getKey())), render("statement.mustache", statement),
                    StandardCharsets.UTF_8);
        }
        return IndexPage.write(dir, data, tenant, byTenant, known);
    }

    /**
     * The pages the tenants receive: their charge lines and totals, usage and evidence, without what the provider pays
     * Veeam, its margin, the reconciliation with Veeam's report, the alerts or a link to the index. A tenant whose
     * month has an unpriced line gets no page: it would bill the line at 0 (the provider's page flags it).
     *
     * @param tenant     only this tenant's page, or every tenant's
     * @param letterhead who the pages are from, and the customers' names
     */
    public static CustomerCopies writeCustomerCopies(final Path dir, final MonthData data,
                                                     final Optional<String> tenant,
                                                     final Letterhead letterhead) throws IOException {
        Files.createDirectories(dir);
        final List<String> written = new ArrayList<>();
        final List<String> withheld = new ArrayList<>();
        final TenantParts parts = new TenantParts(data);
        for (final Map.Entry<String, List<ChargeLine>> entry : byTenant(data, tenant).entrySet()) {
            if (entry.getValue().stream().anyMatch(line -> !line.priced())) {
                withheld.add(entry.getKey());
                continue;
            }
            final Map<String, Object> statement = statement(data, entry.getKey(), entry.getValue(), parts,
                    letterhead, false);
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
        data.charges().stream().filter(line -> listed(tenant, line.tenantId()))
                .forEach(line -> byTenant.computeIfAbsent(line.tenantId(), t -> new ArrayList<>()).add(line));
        return byTenant;
    }

    /** Whether a run for {@code tenant} (every tenant when empty) covers {@code tenantId}. */
    static boolean listed(final Optional<String> tenant, final String tenantId) {
        return tenant.map(tenantId::equals).orElse(true);
    }

    /**
     * A file name for a tenant id that cannot leave the directory, clash with the index, or clash with another
     * tenant's where the file system ignores case (macOS's and Windows' do, by default: {@code Acme.html} would
     * overwrite {@code acme.html}, one customer's statement under another's name). An id that is not all safe
     * lower-case characters gets a suffix from a hash of the whole id.
     */
    static String fileName(final String tenant) {
        final String safe = tenant.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.equals(tenant) && safe.equals(safe.toLowerCase(Locale.ROOT)) && !safe.equals("index") ? safe
                : safe + "-" + UUID.nameUUIDFromBytes(tenant.getBytes(StandardCharsets.UTF_8)).toString()
                        .substring(0, 8)) + ".html";
    }

    /**
     * @param parts    the month's DAY records, reconciliation lines and alerts, by tenant
     * @param provider the provider's page (its cost, margin, reconciliation, alerts), or the customer's copy
     */
    private static Map<String, Object> statement(final MonthData data, final String tenant,
                                                 final List<ChargeLine> lines, final TenantParts parts,
                                                 final Letterhead letterhead, final boolean provider) {
        lines.sort(INVOICE_ORDER);
        final ChargeLine total = total(lines);
        final Map<String, Object> page = new LinkedHashMap<>();
        page.put("provider", provider);
        page.put("tenant", tenant);
        page.put("customer", letterhead.customer(tenant));
        // the tenant id under a customer's name: what the provider's files and topics call it
        page.put("named", !letterhead.customer(tenant).equals(tenant));
        page.put("issuer", letterhead.issuer());
        page.put("issuerDetails", letterhead.issuerDetails());
        page.put("month", data.month().toString());
        page.put("currency", total.currency());
        page.put("period", period(data.month(), parts.months(tenant), total.zone()));
        page.put("lines", lines.stream().filter(line -> !line.line().equals(ChargeLine.TOTAL))
                .map(line -> line(line, provider)).toList());
        page.put("total", line(total, provider));
        page.put("unpriced", lines.stream().anyMatch(line -> !line.priced()));
        page.put("charts", DayChart.of(data.month(), parts.days(tenant)));
        page.put("evidence", lines.stream().filter(line -> !line.billingRecordIds().isEmpty()
                && !line.line().equals(ChargeLine.TOTAL) && !line.line().equals(ChargeLine.MINIMUM_TOP_UP))
                .map(line -> evidence(data, line)).toList());
        if (!provider) {
            return page; // the customer's copy: nothing of the reconciliation or the alerts reaches its scope
        }
        final List<Map<String, Object>> reconciliation = parts.reconciliation(tenant).stream()
                .sorted(Comparator.comparing(Reconciliation::licenseType).thenComparing(Reconciliation::sourceId))
                .map(Statements::reconciliation).toList();
        page.put("reconciliation", reconciliation);
        page.put("noReconciliation", reconciliation.isEmpty());
        final List<Map<String, Object>> alerts = parts.alerts(tenant).stream().map(Statements::alert).toList();
        page.put("alerts", alerts);
        page.put("noAlerts", alerts.isEmpty());
        return page;
    }

    /**
     * The month's days in the zone the tenant is billed in, whose midnight may be hours from UTC's. In the month its
     * zone changed, the month begins (or ends) at the changeover, hours from that midnight: its MONTH records say
     * where, and the page gives those instants.
     *
     * @param records the tenant's MONTH records of the month
     */
    static String period(final YearMonth month, final List<PeriodRecord> records, final String zone) {
        final String days = month.atDay(1) + " to " + month.atEndOfMonth() + ", days in " + zone;
        final ZoneId zoneId = ZoneId.of(zone);
        final List<String> changeovers = new ArrayList<>();
        records.stream().filter(record -> record.zone().equals(zone)).findFirst().ifPresent(record -> {
            if (!record.periodStart().equals(month.atDay(1).atStartOfDay(zoneId).toInstant())) {
                changeovers.add("begins at " + changeover(record.periodStart(), zoneId));
            }
            if (!record.periodEnd().equals(month.plusMonths(1).atDay(1).atStartOfDay(zoneId).toInstant())) {
                changeovers.add("ends at " + changeover(record.periodEnd(), zoneId));
            }
        });
        return changeovers.isEmpty() ? days
                : days + "; the billing zone changed, and the month " + String.join(" and ", changeovers);
    }

    private static String changeover(final Instant at, final ZoneId zone) {
        return CHANGEOVER.format(at.atZone(zone)) + " (" + CHANGEOVER.format(at.atZone(ZoneOffset.UTC)) + " UTC)";
    }

    static ChargeLine total(final List<ChargeLine> lines) {
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

    static Map<String, Object> reconciliation(final Reconciliation line) {
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
    static String money(final BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    static String decimal(final BigDecimal value) {
        return value == null ? "" : Decimals.forOutput(value).toPlainString();
    }
}
