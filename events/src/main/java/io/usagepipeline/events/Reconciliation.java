package io.usagepipeline.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Our points against Veeam's report for one workload type of a tenant's month, as one VSPC source counts it, on
 * {@code billing.reconciliation.v1} (DESIGN §4c), keyed by {@link #reconciliationKey()}. Published as soon as both
 * sides exist and revised (revision n+1, {@code supersedes} the previous id) when either changes.
 *
 * @param ourPoints     the points of our month under the points rule; null when we have no series (ONLY_IN_REPORT)
 * @param veeamPoints   the report's {@code usedPoints}; null when the report has no line (ONLY_IN_OURS)
 * @param variance      veeamPoints − ourPoints, a missing side counting as 0: above zero, Veeam bills more
 * @param ourCount      the workloads of our month the points rule's figure counts (peak or last)
 * @param coverage      the share of the month our own data covers (the lowest over the series summed)
 * @param detail        one line for people: the figures behind the cause and what to do
 * @param asOf          the latest of the report poll and the billing records compared
 */
public record Reconciliation(
        String schema,
        UUID reconciliationId,
        String tenantId,
        String sourceId,
        String licenseType,
        String month,
        BigDecimal ourPoints,
        BigDecimal veeamPoints,
        BigDecimal variance,
        ReconciliationCause cause,
        String detail,
        ReportStatus reportStatus,
        BigDecimal coverage,
        Long ourCount,
        Long initialCount,
        Long reportedCount,
        Long newCount,
        BigDecimal weight,
        int revision,
        UUID supersedes,
        Instant asOf) {

    public static final String SCHEMA = "billing.reconciliation.v1";

    public Reconciliation {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(reconciliationId, "reconciliationId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(licenseType, "licenseType");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(variance, "variance");
        Objects.requireNonNull(cause, "cause");
    }

    /** The Kafka key: {@code tenantId|sourceId|licenseType|month}. */
    public String reconciliationKey() {
        return Keys.reconciliationKey(tenantId, sourceId, licenseType, month);
    }
}
