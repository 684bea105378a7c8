package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The period key and OPEN record id of each series' latest DAY and MONTH, worked out once per period instead of once
 * per OPEN total: the live processor publishes a DAY and a MONTH total for every observation, and formatting the key
 * and hashing the id (SHA-1) for each were a twentieth of its stream thread (JFR). Memory only: what it holds follows
 * from the series key and the period, so a task that starts again loses nothing but the work of computing it.
 */
final class OpenTotalKeys {

    /** The key and OPEN id of the period of a granularity starting at {@code start}. */
    record Known(Instant start, String periodKey, UUID openRecordId) {
    }

    /** Per series key: the latest period of each granularity it published, by {@code Granularity.ordinal()}. */
    private final Map<String, Known[]> bySeries = new HashMap<>();

    /** The key and OPEN record id of {@code period} of the series. */
    Known of(final String seriesKey, final BillingPeriod period) {
        final Known[] known = bySeries.computeIfAbsent(seriesKey, key -> new Known[Granularity.values().length]);
        final int slot = period.granularity().ordinal();
        final Known latest = known[slot];
        if (latest != null && latest.start().equals(period.start())) {
            return latest;
        }
        final String periodKey = Keys.periodKey(seriesKey, period.granularity(), period.start());
        final Known computed = new Known(period.start(), periodKey, Ids.recordId(periodKey, 0));
        known[slot] = computed;
        return computed;
    }

    /** Forgets a series the processor forgot, so that this holds no more series than the series store. */
    void forget(final String seriesKey) {
        bySeries.remove(seriesKey);
    }
}
