package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Granularity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A calendar day or month in a billing zone, as the instants [start, end). Days across a DST change last 23 or 25
 * hours; months last 28 to 31 days. Which period follows which is the tenant's {@link ZoneSchedule}'s to say: where
 * its zone changes, the day and month at the changeover begin or end at it.
 */
public record BillingPeriod(Granularity granularity, String zone, Instant start, Instant end) {

    /** The period of the given granularity that contains {@code instant} in {@code zone}. */
    public static BillingPeriod containing(final Instant instant, final Granularity granularity, final ZoneId zone) {
        final LocalDate date = instant.atZone(zone).toLocalDate();
        final LocalDate first = granularity == Granularity.DAY ? date : date.withDayOfMonth(1);
        return of(first, granularity, zone);
    }

    /**
     * Whether {@code other} has this period's key ({@code Keys.periodKey}: the granularity and the start), and so is
     * the same period of the series. Asked several times per observation: plain comparisons, no comparator.
     */
    public boolean sameKey(final BillingPeriod other) {
        return granularity == other.granularity && start.equals(other.start);
    }

    public boolean contains(final Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public long lengthMillis() {
        return end.toEpochMilli() - start.toEpochMilli();
    }

    private static BillingPeriod of(final LocalDate first, final Granularity granularity, final ZoneId zone) {
        final LocalDate following = granularity == Granularity.DAY ? first.plusDays(1) : first.plusMonths(1);
        final ZonedDateTime start = first.atStartOfDay(zone);
        return new BillingPeriod(granularity, zone.getId(), start.toInstant(),
                following.atStartOfDay(zone).toInstant());
    }
}
