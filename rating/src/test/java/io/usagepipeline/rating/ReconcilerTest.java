package io.usagepipeline.rating;

import static io.usagepipeline.rating.Fixtures.reportLine;
import static io.usagepipeline.rating.Fixtures.vspcMonth;
import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.VendorReportLine;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every cause of DESIGN §4c, with points worked out by hand. The card's points rule counts {@code VAC_*} at the
 * month's peak and everything else at its last level; a VSPC series' units are points.
 */
class ReconcilerTest {

    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final String AFTER = "2026-11-02T08:00:00Z";
    private static final ReportStatus PENDING = ReportStatus.APPROVAL_REQUIRED;

    private final Reconciler reconciler = new Reconciler(Fixtures.card());

    @Test
    void shouldFindNoVarianceWhereBothCountTheSame() {
        // 10 VMs at 1 point each, none new: 10 points on both sides
        final Reconciliation line = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "11", "10", 11, 10,
                "1")), List.of(reportLine("t", "VBR_VM", PENDING, 10, 10, 0, "1", "10", AFTER))));

        assertThat(line.cause()).isEqualTo(ReconciliationCause.NONE);
        assertThat(line.variance()).isEqualByComparingTo("0");
        assertThat(line.ourPoints()).as("the last level: the points rule for VBR").isEqualByComparingTo("10");
        assertThat(line.ourCount()).isEqualTo(10);
    }

    @Test
    void shouldExplainNewWorkloadsThatVeeamBillsFromNextMonth() {
        // 7 agents counted by both, 2 of them new: Veeam bills (7 - 2) × 1 = 5, we count 7
        final Reconciliation line = only(reconcile(List.of(vspcMonth("t", "VBR_Server_Agent", "2026-10", 1, "7",
                "7", 7, 7, "1")), List.of(reportLine("t", "VBR_Server_Agent", PENDING, 7, 7, 2, "1", "5", AFTER))));

        assertThat(line.cause()).isEqualTo(ReconciliationCause.NEW_WORKLOADS);
        assertThat(line.variance()).isEqualByComparingTo("-2");
    }

    @Test
    void shouldExplainACountAdjustedInTheReport() {
        // 12 counted, adjusted to 11, 2 new: (11 - 2) × 1 = 9 points against our 12
        final Reconciliation line = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "12", "12", 12, 12,
                "1")), List.of(reportLine("t", "VBR_VM", ReportStatus.APPROVED, 12, 11, 2, "1", "9", AFTER))));

        assertThat(line.cause()).isEqualTo(ReconciliationCause.ADJUSTED_IN_REPORT);
        assertThat(line.variance()).isEqualByComparingTo("-3");
        assertThat(line.reportStatus()).isEqualTo(ReportStatus.APPROVED);
        assertThat(line.detail()).contains("adjusted by -1");
    }

    @Test
    void shouldBlameOurOwnCoverageGapWhenWeSawFewerWorkloads() {
        // agents at their peak: we saw 7 × 0.33 = 2.31 points over 90 % of the month; Veeam counted 9 × 0.33 = 2.97
        final Reconciliation line = only(reconcile(List.of(vspcMonth("t", "VAC_Workstation_Agent", "2026-10", 1,
                "2.31", "1.98", 7, 6, "0.9")), List.of(reportLine("t", "VAC_Workstation_Agent", PENDING, 9, 9, 0,
                "0.33", "2.97", AFTER))));

        assertThat(line.cause()).isEqualTo(ReconciliationCause.COVERAGE_GAP);
        assertThat(line.ourPoints()).as("the peak: the points rule for VAC").isEqualByComparingTo("2.31");
        assertThat(line.ourCount()).isEqualTo(7);
        assertThat(line.variance()).isEqualByComparingTo("0.66");
        assertThat(line.detail()).contains("covers 90 %");
    }

    @Test
    void shouldBlameServersTheReportCouldNotCollect() {
        // we count 10 VMs; the report counted 6, having missed a server
        final Reconciliation line = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10, 10,
                "1")), List.of(reportLine("t", "VBR_VM", PENDING, 6, 6, 0, "1", "6", AFTER, "vbr-02"))));

        assertThat(line.cause()).isEqualTo(ReconciliationCause.NOT_COLLECTED);
        assertThat(line.variance()).isEqualByComparingTo("-4");
        assertThat(line.detail()).contains("could not collect vbr-02");
    }

    @Test
    void shouldCallAVarianceNothingExplainsUnexplained() {
        final Reconciliation counts = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10,
                10, "1")), List.of(reportLine("t", "VBR_VM", PENDING, 8, 8, 0, "1", "8", AFTER))));
        // the same 10 workloads, but points that are not weight × (reported - new)
        final Reconciliation points = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10,
                10, "1")), List.of(reportLine("t", "VBR_VM", PENDING, 10, 10, 0, "1", "12", AFTER))));

        assertThat(counts.cause()).isEqualTo(ReconciliationCause.UNEXPLAINED);
        assertThat(counts.variance()).isEqualByComparingTo("-2");
        assertThat(counts.detail()).isEqualTo("the report bills 8 workloads (8 counted, 0 new) × 1 = 8 points; we "
                + "count 10 points: investigate before the report is approved");
        assertThat(points.cause()).isEqualTo(ReconciliationCause.UNEXPLAINED);
        assertThat(points.variance()).isEqualByComparingTo("2");
    }

    @Test
    void shouldNameNoDeadlineThatHasPassedOnceTheReportIsApproved() {
        // an approved report is final: what it bills wrongly is taken up with Veeam, not fixed before approval
        final Reconciliation unexplained = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10",
                10, 10, "1")), List.of(reportLine("t", "VBR_VM", ReportStatus.APPROVED, 8, 8, 0, "1", "8", AFTER))));
        final Reconciliation notCollected = only(reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10",
                10, 10, "1")), List.of(reportLine("t", "VBR_VM", ReportStatus.APPROVED, 6, 6, 0, "1", "6", AFTER,
                "vbr-02"))));

        assertThat(unexplained.detail()).isEqualTo("the report bills 8 workloads (8 counted, 0 new) × 1 = 8 points; "
                + "we count 10 points: investigate, and take it up with Veeam (the report is approved already)");
        assertThat(notCollected.detail()).isEqualTo("the report bills 6 workloads (6 counted, 0 new) × 1 = 6 points; "
                + "we count 10 points; the report could not collect vbr-02: have the console collect them again; the "
                + "report under-counts, and a later true-up follows (the report is approved already)");
    }

    @Test
    void shouldFindAnOrganizationOnlyInTheReportOnceOurMonthHasClosed() {
        final VendorReportLine early = reportLine("vandelay", "VBR_VM", PENDING, 4, 4, 0, "1", "4",
                "2026-11-01T03:00:00Z");
        final VendorReportLine later = reportLine("vandelay", "VBR_VM", PENDING, 4, 4, 0, "1", "4",
                "2026-11-01T06:00:00Z");

        assertThat(reconcile(List.of(), List.of(early))).as("our month may still be closing").isEmpty();
        final Reconciliation line = only(reconcile(List.of(), List.of(later)));
        assertThat(line.cause()).isEqualTo(ReconciliationCause.ONLY_IN_REPORT);
        assertThat(line.ourPoints()).isNull();
        assertThat(line.variance()).isEqualByComparingTo("4");
        assertThat(line.detail()).as("vspc gave us nothing of vandelay in October: not a workload type we miss")
                .isEqualTo("the report bills 4 workloads (4 counted, 0 new) × 1 = 4 points; we have no usage of this "
                        + "tenant from vspc in 2026-10 at all: was it collected then (our history may start later), "
                        + "and is the organization mapped to this tenant in companies:? If both, dispute the line "
                        + "before the report is approved");
    }

    @Test
    void shouldAskToCollectAWorkloadTypeOnlyInTheReportOfATenantWeHaveOtherUsageOf() {
        final Map<String, Reconciliation> lines = reconcile(List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10",
                10, 10, "1")), List.of(reportLine("t", "VBR_VM", PENDING, 10, 10, 0, "1", "10", AFTER),
                reportLine("t", "VBR_Server_Agent", PENDING, 3, 3, 0, "1", "3", AFTER)));

        assertThat(lines.get("vspc|VBR_Server_Agent").cause()).isEqualTo(ReconciliationCause.ONLY_IN_REPORT);
        assertThat(lines.get("vspc|VBR_Server_Agent").detail()).isEqualTo("the report bills 3 workloads (3 counted, "
                + "0 new) × 1 = 3 points; we have no VBR_Server_Agent for this tenant: collect it, or dispute the line "
                + "before the report is approved");
    }

    @Test
    void shouldFindAWorkloadTypeOnlyInOursAndLeaveOtherSeriesAlone() {
        final Map<String, Reconciliation> lines = reconcile(List.of(
                        vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10, 10, "1"),
                        vspcMonth("t", "VBR_Server_Agent", "2026-10", 1, "3", "3", 3, 3, "1"),
                        // a per-server license series of the same console, and another source: not in the report
                        vspcMonth("t", "VBR_RENTAL_INSTANCES", "2026-10", 1, "40", "40", 3, 3, "1"),
                        Fixtures.month("t", "vac-eu", "CC_VM_Backup", "2026-10", 1,
                                Fixtures.Figures.units("5", "5", "5", "0"))),
                List.of(reportLine("t", "VBR_VM", PENDING, 10, 10, 0, "1", "10", AFTER)));

        assertThat(lines).containsOnlyKeys("vspc|VBR_VM", "vspc|VBR_Server_Agent");
        assertThat(lines.get("vspc|VBR_Server_Agent").cause()).isEqualTo(ReconciliationCause.ONLY_IN_OURS);
        assertThat(lines.get("vspc|VBR_Server_Agent").variance()).isEqualByComparingTo("-3");
        assertThat(lines.get("vspc|VBR_VM").cause()).isEqualTo(ReconciliationCause.NONE);
    }

    @Test
    void shouldFindEveryWorkloadTypeOfATenantTheReportListsNoLineForOnlyInOurs() {
        final List<PeriodRecord> records = List.of(
                vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10, 10, "1"),
                vspcMonth("t", "VBR_Server_Agent", "2026-10", 1, "4", "3", 4, 3, "1"),
                // another source, whose report was not polled: nothing to compare with
                Fixtures.month("t", "vac-eu", "CC_VM_Backup", "2026-10", 1,
                        Fixtures.Figures.units("5", "5", "5", "0")));
        // the source's report of October, polled and approved, lists other organizations only
        final ReportPolled report = ReportPolled.of(reportLine("another", "VBR_VM", ReportStatus.APPROVED, 9, 9, 0,
                "1", "9", AFTER));

        final Map<String, Reconciliation> lines = reconciler.reconcile("t", OCTOBER, records, List.of(),
                List.of(report));

        assertThat(lines).containsOnlyKeys("vspc|VBR_VM", "vspc|VBR_Server_Agent");
        assertThat(lines.values()).allSatisfy(line -> {
            assertThat(line.cause()).isEqualTo(ReconciliationCause.ONLY_IN_OURS);
            assertThat(line.veeamPoints()).isNull();
            assertThat(line.reportStatus()).as("the status of the report that leaves the tenant out")
                    .isEqualTo(ReportStatus.APPROVED);
            assertThat(line.detail()).contains("the report lists no line for this tenant at all")
                    .endsWith("(the report is approved already)");
            assertThat(line.asOf()).as("the report's poll, after our month closed").isEqualTo(Instant.parse(AFTER));
        });
        assertThat(lines.get("vspc|VBR_VM").variance()).isEqualByComparingTo("-10");
        assertThat(lines.get("vspc|VBR_Server_Agent").variance()).as("the last level: 3, not the peak 4")
                .isEqualByComparingTo("-3");
        assertThat(lines.get("vspc|VBR_VM").detail()).isEqualTo("we count 10 points of VBR_VM, and the report lists "
                + "no line for this tenant at all: check its organization is licensed by this console; the report "
                + "under-counts, and a later true-up follows (the report is approved already)");
    }

    @Test
    void shouldFindNothingOnlyInOursWhereWeCountNoPointsEither() {
        // VMs until mid-month, none at its end: the rule counts the month-end level, 0 points, as the report does;
        // agents at a peak of 2: the rule counts the peak, 2 × 0.33 points that the report does not bill
        final Map<String, Reconciliation> lines = reconcile(List.of(
                        vspcMonth("t", "VBR_VM", "2026-10", 1, "6", "0", 6, 0, "1"),
                        vspcMonth("t", "VAC_Workstation_Agent", "2026-10", 1, "0.66", "0", 2, 0, "1"),
                        vspcMonth("t", "VBR_Server_Agent", "2026-10", 1, "3", "3", 3, 3, "1")),
                List.of(reportLine("t", "VBR_Server_Agent", PENDING, 3, 3, 0, "1", "3", AFTER)));

        assertThat(lines).containsOnlyKeys("vspc|VBR_Server_Agent", "vspc|VAC_Workstation_Agent");
        assertThat(lines.get("vspc|VAC_Workstation_Agent").variance()).isEqualByComparingTo("-0.66");
    }

    @Test
    void shouldCompareNothingBeforeAReportOfTheMonthIsPolled() {
        assertThat(reconciler.reconcile("t", OCTOBER, List.of(vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10,
                10, "1")), List.of(), List.of())).isEmpty();
    }

    @Test
    void shouldTellAReportThatListsTheTenantFromOneThatDoesNot() {
        // the tenant's lines of vspc's report are compared line by line; another console's report leaves it out
        final List<PeriodRecord> records = List.of(
                vspcMonth("t", "VBR_VM", "2026-10", 1, "10", "10", 10, 10, "1"),
                Fixtures.month("t", "vspc-2", "VBR_VM", "2026-10", 1, Fixtures.Figures.units("6", "6", "6", "0")));
        final VendorReportLine listed = reportLine("t", "VBR_VM", PENDING, 10, 10, 0, "1", "10", AFTER);
        final ReportPolled other = new ReportPolled(null, "vspc-2", "2026-10", PENDING, null,
                Instant.parse(AFTER));

        final Map<String, Reconciliation> lines = reconciler.reconcile("t", OCTOBER, records, List.of(listed),
                List.of(ReportPolled.of(listed), other));

        assertThat(lines).containsOnlyKeys("vspc|VBR_VM", "vspc-2|VBR_VM");
        assertThat(lines.get("vspc|VBR_VM").cause()).isEqualTo(ReconciliationCause.NONE);
        assertThat(lines.get("vspc-2|VBR_VM").cause()).isEqualTo(ReconciliationCause.ONLY_IN_OURS);
        assertThat(lines.get("vspc-2|VBR_VM").variance()).isEqualByComparingTo("-6");
        assertThat(lines.get("vspc-2|VBR_VM").detail()).endsWith("or have it added before the report is approved");
    }

    private Map<String, Reconciliation> reconcile(final List<PeriodRecord> records,
                                                  final List<VendorReportLine> lines) {
        return reconciler.reconcile(records.isEmpty() ? lines.get(0).tenantId() : records.get(0).tenantId(),
                OCTOBER, records, lines, lines.stream().map(ReportPolled::of).toList());
    }

    private static Reconciliation only(final Map<String, Reconciliation> lines) {
        assertThat(lines).hasSize(1);
        return lines.values().iterator().next();
    }
}
