package io.usagepipeline.rating;

import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.rating.card.Basis;
import io.usagepipeline.rating.card.RatingConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares one tenant's month with Veeam's report lines for it (DESIGN §4c): per source and workload type, our points
 * (the figure the points rule names, summed over the month's series of that type) against the report's
 * {@code usedPoints}, with the cause that explains the variance:
 *
 * <ol>
 *   <li>no variance: {@code NONE};</li>
 *   <li>only one side has the line: {@code ONLY_IN_REPORT} or {@code ONLY_IN_OURS} (every workload type we count,
 *       where the source's report lists no line for the tenant at all);</li>
 *   <li>our workloads differ from the ones Veeam counted ({@code weight × initialCount}): {@code NOT_COLLECTED}
 *       when the report flags servers it could not collect, else {@code COVERAGE_GAP} when our data does not cover
 *       the whole month, else {@code UNEXPLAINED};</li>
 *   <li>the same workloads, but the provider changed the count: {@code ADJUSTED_IN_REPORT};</li>
 *   <li>the same workloads, some of them new this month (free until next month): {@code NEW_WORKLOADS};</li>
 *   <li>anything else, e.g. another weight: {@code UNEXPLAINED}.</li>
 * </ol>
 *
 * <p>Lines come out as first revisions; {@link Revisions} decides which are news.
 */
final class Reconciler {

    /**
     * A report line we have no series for is only in the report once our month has closed: the processor closes a
     * month at its end plus its grace (PT2H by default). A report polled this long after the month's end finds our
     * month closed; one polled earlier waits for the next poll.
     */
    static final Duration OURS_CLOSED_AFTER = Duration.ofHours(6);

    /** Veeam's workload types (the public {@code WorkloadLicenseUsage.workloadType} values), compared ignoring case. */
    private static final Set<String> VEEAM_WORKLOAD_TYPES = Stream.of("CC_Server_Backup", "CC_VM_Backup",
            "CC_VM_Replica", "CC_Workstation_Backup", "Dynamic", "VAC_Server_Agent", "VAC_Workstation_Agent",
            "VB365_User", "VBR_Application_Plugins", "VBR_Cloud_Database", "VBR_Cloud_File_Share", "VBR_Cloud_VM",
            "VBR_NAS_Backup", "VBR_NAS_Server", "VBR_Server_Agent", "VBR_Tape_Backup", "VBR_Tape_Server", "VBR_VM",
            "VBR_Workstation_Agent", "VONE_Cloud_Database", "VONE_Cloud_File_Share", "VONE_Cloud_VM",
            "VONE_Nas_Backup", "VONE_Server_Agent", "VONE_Tape_Backup", "VONE_User", "VONE_VM",
            "VONE_Workstation_Agent").map(type -> type.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());

    private final RatingConfig config;

    Reconciler(final RatingConfig config) {
        this.config = config;
    }

    /**
     * The month's reconciliation lines, keyed by {@code sourceId|licenseType}: every workload type of the sources
     * whose report of the month has been polled, on either side. Empty while no report of the month is held.
     *
     * @param reportLines   the tenant's lines in the reports of the month
     * @param reportsPolled the latest poll of each source's report of the month, whether it lists the tenant or not
     */
    Map<String, Reconciliation> reconcile(final String tenantId, final YearMonth month,
                                          final Collection<PeriodRecord> records,
                                          final Collection<VendorReportLine> reportLines,
                                          final Collection<ReportPolled> reportsPolled) {
        final Map<String, VendorReportLine> veeam = new TreeMap<>();
        reportLines.forEach(line -> veeam.put(lineKey(line.sourceId(), line.licenseType()), line));
        final Set<String> listing = reportLines.stream().map(VendorReportLine::sourceId)
                .collect(Collectors.toSet());
        // the reports that list no line for the tenant at all: each of our workload types is only in ours
        final Map<String, ReportPolled> unlisting = new TreeMap<>();
        reportsPolled.stream().filter(polled -> !listing.contains(polled.sourceId()))
                .forEach(polled -> unlisting.put(polled.sourceId(), polled));
        final Map<String, List<PeriodRecord>> ours = new TreeMap<>();
        records.stream().filter(record -> listing.contains(record.sourceId())
                        || unlisting.containsKey(record.sourceId()))
                .filter(record -> VEEAM_WORKLOAD_TYPES.contains(record.licenseType().toLowerCase(Locale.ROOT))
                        || veeam.containsKey(lineKey(record.sourceId(), record.licenseType())))
                .forEach(record -> ours.computeIfAbsent(lineKey(record.sourceId(), record.licenseType()),
                        key -> new ArrayList<>()).add(record));
        final Map<String, Reconciliation> lines = new TreeMap<>();
        for (final String key : union(veeam.keySet(), ours.keySet())) {
            final VendorReportLine line = veeam.get(key);
            final List<PeriodRecord> series = ours.get(key);
            if (series == null && !oursClosed(line, month)) {
                continue; // our month may still be closing: wait for a later poll of the report
            }
            if (line == null && series.stream().allMatch(record -> config.points(record).signum() == 0)) {
                // nothing counted on either side: the report lists no type without workloads, and a type used in
                // the month but at none at its end has no points where the rule counts the month-end level
                continue;
            }
            lines.put(key, compare(tenantId, month, series, line, reportLines, records,
                    series == null ? null : unlisting.get(series.get(0).sourceId())));
        }
        return lines;
    }

    /**
     * @param records   every MONTH record of the tenant's month, whatever its source or type
     * @param unlisting the poll of the series' source's report when it lists no line for the tenant, else null
     */
    private Reconciliation compare(final String tenantId, final YearMonth month, final List<PeriodRecord> series,
                                   final VendorReportLine line, final Collection<VendorReportLine> reportLines,
                                   final Collection<PeriodRecord> records, final ReportPolled unlisting) {
        final String sourceId = line != null ? line.sourceId() : series.get(0).sourceId();
        final String licenseType = line != null ? line.licenseType() : series.get(0).licenseType();
        final BigDecimal ourPoints = series == null ? null : series.stream()
                .map(config::points).reduce(BigDecimal.ZERO, BigDecimal::add);
        final Long ourCount = series == null ? null : countOf(licenseType, series);
        final BigDecimal coverage = series == null ? null : series.stream().map(PeriodRecord::coverage)
                .min(Comparator.naturalOrder()).orElseThrow();
        final BigDecimal veeamPoints = line == null ? null : line.usedPoints();
        final BigDecimal variance = orZero(veeamPoints).subtract(orZero(ourPoints));
        final boolean sourceSilent = records.stream().noneMatch(record -> record.sourceId().equals(sourceId));
        final Explained explained = unlisting != null ? unlisted(licenseType, ourPoints, unlisting)
                : explain(licenseType, ourPoints, coverage, line, variance, reportLines, sourceSilent ? month : null);
        final String key = Keys.reconciliationKey(tenantId, sourceId, licenseType, month.toString());
        final List<Instant> known = new ArrayList<>(); // the line is as of the newest of what it compares
        if (series != null) {
            series.forEach(record -> known.add(record.asOf()));
        }
        if (line != null) {
            known.add(line.polledAt());
        }
        if (unlisting != null) {
            known.add(unlisting.polledAt());
        }
        final Instant asOf = Collections.max(known);
        return new Reconciliation(null, Ids.reconciliationId(key, 1), tenantId, sourceId, licenseType,
                month.toString(), ourPoints, veeamPoints, variance, explained.cause(), explained.detail(),
                line != null ? line.reportStatus() : unlisting != null ? unlisting.reportStatus() : null,
                coverage, ourCount, line == null ? null : line.initialCount(),
                line == null ? null : line.reportedCount(), line == null ? null : line.newCount(),
                line == null ? null : line.weight(), 1, null, asOf);
    }

    /** A cause and the line for people that goes with it. */
    private record Explained(ReconciliationCause cause, String detail) {
    }

    /** A workload type of a tenant that the source's report lists no line for at all. */
    private static Explained unlisted(final String type, final BigDecimal ours, final ReportPolled report) {
        return new Explained(ReconciliationCause.ONLY_IN_OURS, "we count " + plain(ours) + " points of " + type
                + ", and the report lists no line for this tenant at all: " + act(report.reportStatus(),
                "check its organization is licensed by this console, or have it added before the report is approved",
                "check its organization is licensed by this console; the report under-counts, and a later true-up "
                        + "follows"));
    }

    /**
     * @param silentIn the month, when the report's source gave us no usage of the tenant in it at all: a month
     *                 before our history starts, or an organization not mapped to the tenant, rather than a workload
     *                 type we miss
     */
    private static Explained explain(final String type, final BigDecimal ours, final BigDecimal coverage,
                                     final VendorReportLine line, final BigDecimal variance,
                                     final Collection<VendorReportLine> reportLines, final YearMonth silentIn) {
        if (line == null) {
            final String flagged = reportLines.stream().flatMap(l -> l.notCollected().stream()).distinct()
                    .collect(Collectors.joining(", "));
            return new Explained(ReconciliationCause.ONLY_IN_OURS, "we count " + plain(ours) + " points of " + type
                    + " that the report does not bill" + (flagged.isEmpty() ? ""
                    : "; it could not collect " + flagged) + ": check the workloads are licensed by this console");
        }
        final String report = "the report bills " + line.reportedCount() + " workloads (" + line.initialCount()
                + " counted, " + line.newCount() + " new) × " + plain(line.weight()) + " = "
                + plain(line.usedPoints()) + " points";
        if (ours == null && silentIn != null) {
            // a new deployment's first polls of the last two months' reports: every line would say "dispute it"
            return new Explained(ReconciliationCause.ONLY_IN_REPORT, report + "; we have no usage of this tenant from "
                    + line.sourceId() + " in " + silentIn + " at all: was it collected then (our history may start "
                    + "later), and is the organization mapped to this tenant in companies:? If both, " + act(line,
                    "dispute the line before the report is approved", "dispute the line with Veeam"));
        }
        if (ours == null) {
            return new Explained(ReconciliationCause.ONLY_IN_REPORT, report + "; we have no " + type
                    + " for this tenant: " + act(line, "collect it, or dispute the line before the report is approved",
                    "collect it, or dispute the line with Veeam"));
        }
        final String both = report + "; we count " + plain(ours) + " points";
        if (variance.signum() == 0) {
            return new Explained(ReconciliationCause.NONE, both);
        }
        final BigDecimal counted = line.weight().multiply(BigDecimal.valueOf(line.initialCount()));
        if (counted.compareTo(ours) != 0) {
            if (!line.notCollected().isEmpty()) {
                return new Explained(ReconciliationCause.NOT_COLLECTED, both + "; the report could not collect "
                        + String.join(", ", line.notCollected()) + ": " + act(line,
                        "have the console collect them again before the report is approved",
                        "have the console collect them again; the report under-counts, and a later true-up follows"));
            }
            if (coverage.compareTo(BigDecimal.ONE) < 0) {
                return new Explained(ReconciliationCause.COVERAGE_GAP, both + "; our data covers "
                        + plain(coverage.movePointRight(2)) + " % of the month: our figure may be short, not Veeam's");
            }
            return new Explained(ReconciliationCause.UNEXPLAINED, both + ": " + investigate(line));
        }
        final BigDecimal billed = line.weight().multiply(BigDecimal.valueOf(line.reportedCount() - line.newCount()));
        if (billed.compareTo(line.usedPoints()) != 0) {
            return new Explained(ReconciliationCause.UNEXPLAINED, both + ", but " + line.reportedCount() + " − "
                    + line.newCount() + " new at weight " + plain(line.weight()) + " is " + plain(billed)
                    + " points: " + investigate(line));
        }
        if (line.reportedCount() != line.initialCount()) {
            return new Explained(ReconciliationCause.ADJUSTED_IN_REPORT, both + "; the count was adjusted by "
                    + (line.reportedCount() - line.initialCount()) + ": confirm the adjustment is intended");
        }
        if (line.newCount() > 0) {
            return new Explained(ReconciliationCause.NEW_WORKLOADS, both + "; " + line.newCount()
                    + " new workloads are free this month and billed from next month");
        }
        return new Explained(ReconciliationCause.UNEXPLAINED, both + ": " + investigate(line));
    }

    private static String investigate(final VendorReportLine line) {
        return act(line, "investigate before the report is approved", "investigate, and take it up with Veeam");
    }

    private static String act(final VendorReportLine line, final String beforeApproval, final String onceApproved) {
        return act(line.reportStatus(), beforeApproval, onceApproved);
    }

    /**
     * What to do about a variance, by the report's status: until the report is approved the provider can still
     * correct it; once it is final the detail says so rather than name a deadline that has passed.
     */
    private static String act(final ReportStatus status, final String beforeApproval, final String onceApproved) {
        return status.isFinal() ? onceApproved + " (the report is approved already)" : beforeApproval;
    }

    /** The workloads the points rule's figure counts: the peak or the last count; none for an average. */
    private Long countOf(final String licenseType, final List<PeriodRecord> series) {
        final Basis figure = config.pointsFigure(licenseType);
        if (figure == Basis.PEAK_UNITS || figure == Basis.PEAK_COUNT) {
            return series.stream().mapToLong(PeriodRecord::peakCount).sum();
        }
        if (figure == Basis.LAST_UNITS || figure == Basis.LAST_COUNT) {
            return series.stream().mapToLong(PeriodRecord::lastCount).sum();
        }
        return null;
    }

    /** Whether a report line was polled late enough that our month has closed (see {@link #OURS_CLOSED_AFTER}). */
    private static boolean oursClosed(final VendorReportLine line, final YearMonth month) {
        return !line.polledAt().isBefore(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                .plus(OURS_CLOSED_AFTER));
    }

    static String lineKey(final String sourceId, final String licenseType) {
        return Keys.escape(sourceId) + Keys.SEPARATOR + Keys.escape(licenseType);
    }

    private static List<String> union(final Set<String> a, final Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).distinct().sorted().toList();
    }

    private static BigDecimal orZero(final BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static String plain(final BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
