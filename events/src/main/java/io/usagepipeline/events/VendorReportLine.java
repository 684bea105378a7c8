package io.usagepipeline.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of Veeam's monthly license report on {@code usage.reports.v1} (DESIGN §4c): one organization's use of
 * one workload type in one month, as one VSPC source reported it, keyed by {@link #reportKey()}. Its figures are the
 * report's own, summed over the licenses the organization's usage is listed under; the report's completeness flags
 * are kept, never dropped, because they explain variances.
 *
 * @param tenantId          the organization mapped through the poll's {@code tenantMap} (else the slug of its name)
 * @param licenseType       the workload type as Veeam names it, e.g. {@code VBR_VM}
 * @param month             the report's month, {@code YYYY-MM}
 * @param initialCount      workloads Veeam counted
 * @param reportedCount     workloads after the provider's adjustment (equal to {@code initialCount} when none)
 * @param newCount          workloads activated within the month: free this month
 * @param weight            points a single workload uses
 * @param usedPoints        the points Veeam bills for the line
 * @param notCollected      servers the report says it could not collect for the organization (client servers) or
 *                          at all (cloud servers): their workloads are missing from the figures
 * @param cloned            servers the report flags as cloned
 * @param unsupported       servers the report flags as unsupported
 * @param pollId            the raw poll the line was read from
 * @param polledAt          when that poll was made
 */
public record VendorReportLine(
        String schema,
        String tenantId,
        String sourceId,
        String licenseType,
        String month,
        long reportId,
        ReportStatus reportStatus,
        String generationDate,
        String organizationUid,
        String organizationName,
        long initialCount,
        long reportedCount,
        long newCount,
        BigDecimal weight,
        BigDecimal usedPoints,
        List<String> notCollected,
        List<String> cloned,
        List<String> unsupported,
        UUID pollId,
        Instant polledAt) {

    public static final String SCHEMA = "usage.reports.v1";

    public VendorReportLine {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(licenseType, "licenseType");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(reportStatus, "reportStatus");
        notCollected = notCollected == null ? List.of() : List.copyOf(notCollected);
        cloned = cloned == null ? List.of() : List.copyOf(cloned);
        unsupported = unsupported == null ? List.of() : List.copyOf(unsupported);
    }

    /** The Kafka key: {@code tenantId|sourceId|licenseType|month}. */
    public String reportKey() {
        return Keys.reconciliationKey(tenantId, sourceId, licenseType, month);
    }

    /** True when the report says it collected every server. */
    public boolean complete() {
        return notCollected.isEmpty() && cloned.isEmpty() && unsupported.isEmpty();
    }
}
