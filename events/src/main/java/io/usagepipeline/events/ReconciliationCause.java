package io.usagepipeline.events;

/** Why our points and Veeam's report differ for one workload type of a tenant's month (DESIGN §4c). */
public enum ReconciliationCause {
    /** both sides agree */
    NONE,
    /** the provider changed the count in the report: {@code reportedCount} differs from {@code initialCount} */
    ADJUSTED_IN_REPORT,
    /** workloads activated this month: Veeam bills them from next month on */
    NEW_WORKLOADS,
    /** our own data has gaps in the month: our figure may be off, not Veeam's */
    COVERAGE_GAP,
    /** the report says it could not collect some of the organization's servers */
    NOT_COLLECTED,
    /** the report bills a workload type we never saw for the tenant */
    ONLY_IN_REPORT,
    /** we counted a workload type the tenant's report lines do not have */
    ONLY_IN_OURS,
    /** none of the above accounts for the variance: look at it before the report is approved */
    UNEXPLAINED;

    /**
     * Whether the line needs a look before the report is approved. Agreement does not, and neither do new
     * workloads: Veeam bills them from next month by its own rules, so that variance is expected.
     */
    public boolean needsAttention() {
        return this != NONE && this != NEW_WORKLOADS;
    }
}
