package io.usagepipeline.report;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much of its month each tenant's usage is known for: the most any of its MONTH records covers. A month collected
 * from its first day to its last has a series known throughout, whatever license types came or went in it; below
 * that, the collection started, stopped or failed for hours within the month, and its amount is a part month's, as is
 * its change from the month before.
 */
final class MonthKnown {

    private final Map<String, BigDecimal> byTenant = new TreeMap<>();

    /** @param records billing records of one month; its MONTH records count */
    MonthKnown(final Collection<PeriodRecord> records) {
        records.stream().filter(record -> record.granularity() == Granularity.MONTH)
                .forEach(record -> byTenant.merge(record.tenantId(), record.coverage(), BigDecimal::max));
    }

    /** The share of the month known of the tenant's usage, in whole percent rounded down: {@code 45%}; null if all. */
    String partly(final String tenant) {
        final BigDecimal known = byTenant.get(tenant);
        return known == null || known.compareTo(BigDecimal.ONE) >= 0 ? null
                : known.movePointRight(2).setScale(0, RoundingMode.DOWN).toPlainString() + "%";
    }
}
