package io.usagepipeline.sink;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Fixture factory of period records as the processor publishes them. */
final class Records {

    static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");

    private Records() {
    }

    static String series(final String tenant) {
        return Keys.seriesKey(tenant, "aws-" + tenant, "AWS_EC2_INSTANCE");
    }

    /** Revision 1 is FINAL, later ones RESTATED superseding the one before; unitHours tells them apart. */
    static PeriodRecord billing(final String tenant, final Instant dayStart, final int revision,
                                final String unitHours) {
        final String series = series(tenant);
        final String periodKey = Keys.periodKey(series, Granularity.DAY, dayStart);
        return new PeriodRecord(null, Ids.recordId(periodKey, revision), series, tenant, "aws-" + tenant,
                SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "instances", Granularity.DAY, "UTC", dayStart,
                dayStart.plus(1, ChronoUnit.DAYS), revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED,
                revision, revision == 1 ? null : Ids.recordId(periodKey, revision - 1), new BigDecimal("4.33"),
                new BigDecimal(unitHours).divide(BigDecimal.valueOf(24), 6, RoundingMode.HALF_EVEN),
                new BigDecimal(unitHours), new BigDecimal("4"), 5, 4, 24, BigDecimal.ONE, dayStart,
                dayStart.plus(23, ChronoUnit.HOURS), dayStart.plus(1, ChronoUnit.DAYS));
    }

    /**
     * A reconciliation line of acme's March VMs: revision 1 finds no variance (10 points each side), revision 2
     * the report adjusted to 9.
     */
    static Reconciliation reconciliation(final int revision) {
        return reconciliation(revision, "=see the report");
    }

    /** The same, with another detail: what a second rater could publish under the same revision. */
    static Reconciliation reconciliation(final int revision, final String detail) {
        final String key = Keys.reconciliationKey("acme", "vspc", "VBR_VM", "2026-03");
        final boolean adjusted = revision > 1;
        return new Reconciliation(null, Ids.reconciliationId(key, revision), "acme", "vspc", "VBR_VM", "2026-03",
                new BigDecimal("10"), new BigDecimal(adjusted ? "9" : "10"), new BigDecimal(adjusted ? "-1" : "0"),
                adjusted ? ReconciliationCause.ADJUSTED_IN_REPORT : ReconciliationCause.NONE, detail,
                adjusted ? ReportStatus.APPROVED : ReportStatus.APPROVAL_REQUIRED, BigDecimal.ONE, 10L, 10L,
                adjusted ? 9L : 10L, 0L, BigDecimal.ONE, revision,
                adjusted ? Ids.reconciliationId(key, revision - 1) : null, Instant.parse("2026-04-02T10:00:00Z"));
    }

    /**
     * A charge line of March 2026: revision 1 FINAL, later ones RESTATED superseding the one before, with the delta
     * from the amount of revision n−1 given as {@code previousAmount}.
     */
    static ChargeLine charge(final String tenant, final String line, final int revision, final String amount,
                             final String previousAmount) {
        final String key = Keys.chargeKey(tenant, "2026-03", line);
        return new ChargeLine(null, Ids.chargeId(key, revision), tenant, "2026-03", "UTC", line, "standard",
                "2026-01", "PEAK_COUNT", new BigDecimal("7"), "objects", new BigDecimal("4.50"), List.of(),
                BigDecimal.ZERO, new BigDecimal(amount), "EUR", true, new BigDecimal("5"), new BigDecimal("5.50"),
                new BigDecimal(amount).subtract(new BigDecimal("5.50")),
                revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED, revision,
                revision == 1 ? null : Ids.chargeId(key, revision - 1),
                new BigDecimal(amount).subtract(new BigDecimal(previousAmount)),
                List.of(Ids.recordId(Keys.periodKey(series(tenant), Granularity.MONTH,
                        Instant.parse("2026-03-01T00:00:00Z")), revision)), Instant.parse("2026-04-01T00:00:00Z"));
    }

    static PeriodRecord open(final String tenant, final Instant monthStart, final String unitHours) {
        final String series = series(tenant);
        final String periodKey = Keys.periodKey(series, Granularity.MONTH, monthStart);
        return new PeriodRecord(null, Ids.recordId(periodKey, 0), series, tenant, "aws-" + tenant, SourceKind.VBA_AWS,
                "AWS_EC2_INSTANCE", "instances", Granularity.MONTH, "UTC", monthStart,
                monthStart.atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant(), RecordStatus.OPEN, 0, null,
                new BigDecimal("4"), new BigDecimal("4"), new BigDecimal(unitHours), new BigDecimal("4"), 4, 4, 10,
                new BigDecimal("0.013441"), monthStart, monthStart.plus(9, ChronoUnit.HOURS),
                monthStart.plus(9, ChronoUnit.HOURS));
    }
}
