package io.usagepipeline.rating;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.VendorReportLine;
import java.time.YearMonth;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rater's state of one tenant's month: the latest revision of each of its MONTH records, by series, and the
 * revision last published of each of its charge lines, by line; the latest poll of each of its lines in Veeam's
 * report and the revision last published of each reconciliation line, both by {@code sourceId|licenseType}; and the
 * series that have closed a DAY in the month, each of which will have a MONTH record. State written before
 * reconciliation existed reads with no report lines, and before the days were kept with no such series.
 */
record TenantMonth(String tenantId, String month, Map<String, PeriodRecord> records,
                   Map<String, ChargeLine> published, Map<String, VendorReportLine> reportLines,
                   Map<String, Reconciliation> reconciled, Set<String> seriesWithDays) {

    TenantMonth {
        records = new TreeMap<>(records);
        published = new TreeMap<>(published);
        reportLines = new TreeMap<>(reportLines == null ? Map.of() : reportLines);
        reconciled = new TreeMap<>(reconciled == null ? Map.of() : reconciled);
        seriesWithDays = new TreeSet<>(seriesWithDays == null ? Set.of() : seriesWithDays);
    }

    static TenantMonth empty(final String tenantId, final YearMonth month) {
        return new TenantMonth(tenantId, month.toString(), Map.of(), Map.of(), Map.of(), Map.of(), Set.of());
    }

    /**
     * The series that closed days in the month but whose MONTH record has not arrived, once one has: the month is
     * not whole until they come. Empty before any MONTH record (an open month waits for nothing).
     */
    Set<String> seriesStillOpen() {
        if (records.isEmpty()) {
            return Set.of();
        }
        final Set<String> open = new TreeSet<>(seriesWithDays);
        open.removeAll(records.keySet());
        return open;
    }

    /** True when the line comes from a later poll than the one held for its source and workload type. */
    boolean accepts(final VendorReportLine line) {
        final VendorReportLine held = reportLines.get(Reconciler.lineKey(line.sourceId(), line.licenseType()));
        return held == null || held.polledAt().isBefore(line.polledAt());
    }

    /** True when the record is newer than the revision held for its series (a redelivery or older one is not). */
    boolean accepts(final PeriodRecord record) {
        final PeriodRecord held = records.get(record.seriesKey());
        return held == null || held.revision() < record.revision();
    }
}
