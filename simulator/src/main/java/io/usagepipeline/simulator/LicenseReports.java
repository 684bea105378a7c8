package io.usagepipeline.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Veeam's monthly license usage report for the VSPC companies, computed from the fleet's ground truth with Veeam's
 * counting rules: agents managed by the console ({@code VAC_*}) count at the month's maximum, everything else at the
 * month-end level; new workloads (activated within the month) are listed but not billed, so
 * {@code usedPoints = weight × (reportedCount − newCount)}. Month M's report is generated on the 1st of M+1 and
 * needs approval until it is approved, by {@link #approve} or on the 5th, when reports are due.
 *
 * <p>{@link Adjustment}s plant what real reports contain: a count the provider adjusted, a server the console could
 * not collect, an organization only the report has, a company the report leaves out. {@link #variances} says what a
 * reconciliation should find.
 */
public final class LicenseReports {

    /** Reports are due by the 5th: one not approved by then is approved automatically. */
    static final int APPROVED_ON_DAY = 5;

    /** What a report plants. */
    public enum AdjustmentKind {
        /** the provider changed a count: {@code reportedCount = initialCount + delta} */
        ADJUSTED_COUNT,
        /** the company's first backup server was not collected: its workloads are missing from the report */
        NOT_COLLECTED,
        /** an organization the console's usage does not show has {@code delta} workloads in the report */
        ONLY_IN_REPORT,
        /** the report lists no line for the company, whose workloads the console's usage shows */
        LEFT_OUT
    }

    /** One planted difference; {@code month} null applies to every report. */
    public record Adjustment(AdjustmentKind kind, String company, String workloadType, Integer delta, String month) {
        public Adjustment {
            if (kind == null || company == null) {
                throw new IllegalArgumentException("a report adjustment needs kind and company");
            }
            if ((kind == AdjustmentKind.ADJUSTED_COUNT || kind == AdjustmentKind.ONLY_IN_REPORT)
                    && (workloadType == null || delta == null)) {
                throw new IllegalArgumentException(kind + " needs workloadType and delta");
            }
        }

        boolean appliesTo(final YearMonth reportMonth) {
            return month == null || month.equals(reportMonth.toString());
        }
    }

    /** One organization's workload type in a report, with the servers it could not collect. */
    public record Line(String company, String organizationUid, String workloadType, BigDecimal weight,
                       int initialCount, int reportedCount, int newCount, List<String> notCollected) {
        public BigDecimal usedPoints() {
            return weight.multiply(BigDecimal.valueOf(Math.max(0, reportedCount - newCount)));
        }
    }

    /** A report as generated: its month, generation date, status and lines. */
    public record Report(YearMonth month, LocalDate generationDate, String status, List<Line> lines) {
        public long reportId() {
            return month.getYear() * 100L + month.getMonthValue();
        }
    }

    /** What a reconciliation of one line should find, for a collector that polled the whole month. */
    public record Variance(String company, String workloadType, BigDecimal ourPoints, BigDecimal veeamPoints,
                           String cause) {
        public BigDecimal variance() {
            return (veeamPoints == null ? BigDecimal.ZERO : veeamPoints)
                    .subtract(ourPoints == null ? BigDecimal.ZERO : ourPoints);
        }
    }

    private final Fleet fleet;
    private final List<Adjustment> adjustments = new CopyOnWriteArrayList<>();
    private final Set<YearMonth> approved = ConcurrentHashMap.newKeySet();

    public LicenseReports(final Fleet fleet) {
        this.fleet = fleet;
    }

    public void add(final Adjustment adjustment) {
        adjustments.add(adjustment);
    }

    public void clear() {
        adjustments.clear();
        approved.clear();
    }

    /** Approves a month's report, as the provider does in the console. */
    public void approve(final YearMonth month) {
        approved.add(month);
    }

    /** The report generated on {@code date} (the 1st of the month after the one it covers), if any by {@code now}. */
    public Optional<Report> generatedOn(final LocalDate date, final Instant now) {
        final LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (date.getDayOfMonth() != 1 || date.isAfter(today)) {
            return Optional.empty();
        }
        return Optional.of(report(YearMonth.from(date).minusMonths(1), now));
    }

    /** The latest report generated by {@code now}: last month's. */
    public Report latest(final Instant now) {
        return report(YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(1), now);
    }

    Report report(final YearMonth month, final Instant now) {
        final LocalDate generated = month.plusMonths(1).atDay(1);
        final boolean isApproved = approved.contains(month)
                || !LocalDate.ofInstant(now, ZoneOffset.UTC).isBefore(generated.withDayOfMonth(APPROVED_ON_DAY));
        final List<Line> lines = new ArrayList<>();
        for (final Map.Entry<String, String> company : fleet.vspcCompanies().entrySet()) {
            if (adjustments.stream().noneMatch(a -> a.kind() == AdjustmentKind.LEFT_OUT
                    && a.company().equals(company.getKey()) && a.appliesTo(month))) {
                lines.addAll(linesOf(company.getKey(), month));
            }
        }
        for (final Adjustment only : adjustments) {
            if (only.kind() == AdjustmentKind.ONLY_IN_REPORT && only.appliesTo(month)) {
                lines.add(new Line(only.company(), Fleet.organizationUid(only.company()).toString(),
                        only.workloadType(), Fleet.VSPC_WORKLOADS.getOrDefault(only.workloadType(), BigDecimal.ONE),
                        only.delta(), only.delta(), 0, List.of()));
            }
        }
        return new Report(month, generated, isApproved ? "Approved" : "ApprovalRequired", lines);
    }

    private List<Line> linesOf(final String company, final YearMonth month) {
        final boolean notCollected = adjustments.stream().anyMatch(a -> a.kind() == AdjustmentKind.NOT_COLLECTED
                && a.company().equals(company) && a.appliesTo(month));
        final List<String> servers = fleet.backupServersOf(company);
        final List<String> missing = notCollected && !servers.isEmpty() ? List.of(servers.get(0)) : List.of();
        final List<Line> lines = new ArrayList<>();
        for (final Fleet.Series series : fleet.seriesOf(Fleet.VSPC_USAGE, company)) {
            final Instant at = countedAt(series, month);
            int counted = 0;
            int fresh = 0;
            final List<WorkloadShare> shares = shares(series, at);
            for (final WorkloadShare share : shares) {
                if (!missing.contains(share.serverUid())) {
                    counted += share.count();
                    fresh += share.newCount();
                }
            }
            if (counted == 0) {
                continue; // the report lists no workload type without workloads
            }
            int reported = counted;
            for (final Adjustment a : adjustments) {
                if (a.kind() == AdjustmentKind.ADJUSTED_COUNT && a.company().equals(company)
                        && a.workloadType().equals(series.type()) && a.appliesTo(month)) {
                    reported = Math.max(0, counted + a.delta());
                }
            }
            lines.add(new Line(company, Fleet.organizationUid(company).toString(), series.type(), series.weight(),
                    counted, reported, fresh, missing));
        }
        return lines;
    }

    /** One server's part of a company's workloads of one type. */
    record WorkloadShare(String serverUid, String serverType, int count, int newCount) {
    }

    /**
     * How a company's workloads of one type spread over the servers managing them: console-managed agents sit on
     * the console itself; everything else is spread evenly over the company's backup servers, the first ones taking
     * the remainder.
     */
    List<WorkloadShare> shares(final Fleet.Series series, final Instant at) {
        final int count = fleet.count(series, at);
        final int fresh = Math.min(fleet.newCount(series, at), count);
        final List<String> servers = fleet.backupServersOf(series.scope());
        if (series.type().startsWith("VAC_") || servers.isEmpty()) {
            return List.of(new WorkloadShare(Fleet.uuid("vspc-console").toString(), "VSPC", count, fresh));
        }
        final List<WorkloadShare> shares = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            shares.add(new WorkloadShare(servers.get(i), "BackupAndReplication", part(count, servers.size(), i),
                    part(fresh, servers.size(), i)));
        }
        return shares;
    }

    private static int part(final int total, final int parts, final int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    /**
     * The instant whose level Veeam bills: the last hour of the month, or for console-managed agents the hour of the
     * month's maximum (the first such hour). Levels change at most once an hour.
     */
    Instant countedAt(final Fleet.Series series, final YearMonth month) {
        final Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        final Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        final Instant last = end.minus(Duration.ofHours(1));
        if (!series.type().startsWith("VAC_")) {
            return last;
        }
        Instant peakAt = start;
        int peak = -1;
        for (Instant at = start; at.isBefore(end); at = at.plus(Duration.ofHours(1))) {
            final int count = fleet.count(series, at);
            if (count > peak) {
                peak = count;
                peakAt = at;
            }
        }
        return peakAt;
    }

    /**
     * What reconciling a month's report against a collection of the whole month should find, per company and
     * workload type: our points count every workload, new ones included, under the same rule (peak or month end).
     */
    public List<Variance> variances(final YearMonth month, final Instant now) {
        final Map<String, Variance> found = new TreeMap<>();
        final Report report = report(month, now);
        for (final Fleet.Series series : fleet.series()) {
            if (series.appliance().equals(Fleet.VSPC_USAGE)) {
                final BigDecimal ours = series.weight().multiply(BigDecimal.valueOf(
                        fleet.count(series, countedAt(series, month))));
                found.put(series.scope() + "|" + series.type(), new Variance(series.scope(), series.type(),
                        ours.signum() == 0 ? null : ours, null, "ONLY_IN_OURS"));
            }
        }
        for (final Line line : report.lines()) {
            final String key = line.company() + "|" + line.workloadType();
            final Variance ours = found.get(key);
            final BigDecimal ourPoints = ours == null ? null : ours.ourPoints();
            final String cause;
            if (ourPoints == null) {
                cause = "ONLY_IN_REPORT";
            } else if (!line.notCollected().isEmpty() && line.weight().multiply(
                    BigDecimal.valueOf(line.initialCount())).compareTo(ourPoints) != 0) {
                cause = "NOT_COLLECTED";
            } else if (line.reportedCount() != line.initialCount()) {
                cause = "ADJUSTED_IN_REPORT";
            } else if (line.newCount() > 0) {
                cause = "NEW_WORKLOADS";
            } else {
                cause = "NONE";
            }
            found.put(key, new Variance(line.company(), line.workloadType(), ourPoints, line.usedPoints(), cause));
        }
        found.values().removeIf(v -> v.ourPoints() == null && v.veeamPoints() == null);
        return List.copyOf(found.values());
    }
}
