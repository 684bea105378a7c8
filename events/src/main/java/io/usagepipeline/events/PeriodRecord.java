package io.usagepipeline.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The figures of one series over one billing period. With status OPEN it is a rolling total on
 * {@code usage.totals.v1}; FINAL and RESTATED records are the billing feed on {@code billing.records.v1}.
 * Both topics are keyed by {@link Keys#periodKey}.
 *
 * @param recordId   {@link Ids#recordId} of the period key and revision
 * @param zone       the billing zone the period boundaries are computed in, e.g. {@code UTC} or {@code Europe/Berlin}
 * @param revision   0 for OPEN, 1 for FINAL, n+1 for each restatement
 * @param supersedes the recordId of the previous revision, for RESTATED records only
 * @param unitHours  the integral of the level over the known part of the period, in hours
 * @param coverage   the share of the period in which the level is known, between 0 and 1
 * @param asOf       for OPEN totals, the instant the figures are evaluated up to; for closed ones, the period end
 */
public record PeriodRecord(
        String schema,
        UUID recordId,
        String seriesKey,
        String tenantId,
        String sourceId,
        SourceKind sourceKind,
        String licenseType,
        String unit,
        Granularity granularity,
        String zone,
        Instant periodStart,
        Instant periodEnd,
        RecordStatus status,
        int revision,
        UUID supersedes,
        BigDecimal peakUnits,
        BigDecimal avgUnits,
        BigDecimal unitHours,
        BigDecimal lastUnits,
        long peakCount,
        long lastCount,
        long samples,
        BigDecimal coverage,
        Instant firstObservedAt,
        Instant lastObservedAt,
        Instant asOf) {

    public static final String TOTALS_SCHEMA = "usage.totals.v1";
    public static final String BILLING_SCHEMA = "billing.records.v1";

    public PeriodRecord {
        Objects.requireNonNull(status, "status");
        schema = schema == null ? schemaFor(status) : schema;
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(seriesKey, "seriesKey");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        if (!periodEnd.isAfter(periodStart)) {
            throw new IllegalArgumentException("periodEnd " + periodEnd + " is not after periodStart " + periodStart);
        }
        if (status == RecordStatus.OPEN && revision != 0) {
            throw new IllegalArgumentException("OPEN totals have revision 0, not " + revision);
        }
        if (status == RecordStatus.FINAL && revision != 1) {
            throw new IllegalArgumentException("FINAL records have revision 1, not " + revision);
        }
        if (status == RecordStatus.RESTATED && (revision < 2 || supersedes == null)) {
            throw new IllegalArgumentException("RESTATED records need revision >= 2 and supersedes");
        }
    }

    /** The schema name for records of this status, which is also the topic they belong on. */
    public static String schemaFor(final RecordStatus status) {
        return status == RecordStatus.OPEN ? TOTALS_SCHEMA : BILLING_SCHEMA;
    }

    /** The Kafka key: {@code seriesKey|granularity|periodStart}. */
    public String periodKey() {
        return Keys.periodKey(seriesKey, granularity, periodStart);
    }
}
