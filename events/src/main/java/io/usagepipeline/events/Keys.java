package io.usagepipeline.events;

import java.time.Instant;

/**
 * Builders of the contract's Kafka keys. A {@code |} inside a component is written as {@code %7C}, so that
 * splitting a key on {@code |} always gives back its components.
 */
public final class Keys {

    public static final String SEPARATOR = "|";
    private static final String ESCAPED_SEPARATOR = "%7C";

    private Keys() {
    }

    /** {@code sourceId/endpoint/scope}, e.g. {@code vac-eu/backupServerUsage/2} or {@code aws-acme/licensedWorkloads/-}. */
    public static String pollTarget(final String sourceId, final Endpoint endpoint, final String scope) {
        return escape(sourceId) + "/" + endpoint.wireName() + "/" + escape(scope == null ? RawPoll.NO_SCOPE : scope);
    }

    /** {@code tenantId|sourceId|licenseType}. */
    public static String seriesKey(final String tenantId, final String sourceId, final String licenseType) {
        return escape(tenantId) + SEPARATOR + escape(sourceId) + SEPARATOR + escape(licenseType);
    }

    /** {@code seriesKey|granularity|periodStart}; the series key is already escaped. */
    public static String periodKey(final String seriesKey, final Granularity granularity, final Instant periodStart) {
        return seriesKey + SEPARATOR + granularity.name() + SEPARATOR + Instants.format(periodStart);
    }

    /** {@code tenantId|month|line}: one line of a tenant's month on the charges topic. */
    public static String chargeKey(final String tenantId, final String month, final String line) {
        return escape(tenantId) + SEPARATOR + month + SEPARATOR + escape(line);
    }

    /** {@code tenantId|month}: one tenant's month, the unit the rater prices. */
    public static String tenantMonth(final String tenantId, final String month) {
        return escape(tenantId) + SEPARATOR + month;
    }

    /**
     * {@code tenantId|sourceId|licenseType|month}: one workload type of a tenant's month as one source counts it,
     * the key of Veeam's report lines and of their reconciliation.
     */
    public static String reconciliationKey(final String tenantId, final String sourceId, final String licenseType,
                                           final String month) {
        return seriesKey(tenantId, sourceId, licenseType) + SEPARATOR + month;
    }

    /** The parts of a period key. */
    public record PeriodKey(String seriesKey, Granularity granularity, Instant periodStart) {
    }

    /** Reads a {@link #periodKey}: the series key itself holds two separators, so it is cut from the right. */
    public static PeriodKey parsePeriodKey(final String periodKey) {
        final int periodStartAt = periodKey.lastIndexOf(SEPARATOR);
        final int granularityAt = periodKey.lastIndexOf(SEPARATOR, periodStartAt - 1);
        if (granularityAt < 0) {
            throw new IllegalArgumentException("not a period key: " + periodKey);
        }
        return new PeriodKey(periodKey.substring(0, granularityAt),
                Granularity.valueOf(periodKey.substring(granularityAt + 1, periodStartAt)),
                Instants.parse(periodKey.substring(periodStartAt + 1)));
    }

    public static String escape(final String component) {
        return component.replace(SEPARATOR, ESCAPED_SEPARATOR);
    }

    public static String unescape(final String component) {
        return component.replace(ESCAPED_SEPARATOR, SEPARATOR);
    }
}
