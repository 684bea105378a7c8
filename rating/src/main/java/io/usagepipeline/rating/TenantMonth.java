package io.usagepipeline.rating;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.PeriodRecord;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rater's state of one tenant's month: the latest revision of each of its MONTH records, by series, and the
 * revision last published of each of its lines, by line.
 */
record TenantMonth(String tenantId, String month, Map<String, PeriodRecord> records,
                   Map<String, ChargeLine> published) {

    TenantMonth {
        records = new TreeMap<>(records);
        published = new TreeMap<>(published);
    }

    static TenantMonth empty(final String tenantId, final YearMonth month) {
        return new TenantMonth(tenantId, month.toString(), Map.of(), Map.of());
    }

    /** True when the record is newer than the revision held for its series (a redelivery or older one is not). */
    boolean accepts(final PeriodRecord record) {
        final PeriodRecord held = records.get(record.seriesKey());
        return held == null || held.revision() < record.revision();
    }
}
