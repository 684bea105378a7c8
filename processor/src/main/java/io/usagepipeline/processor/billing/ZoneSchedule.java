package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Granularity;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's billing zone over time: its calendar of DAY and MONTH periods. A zone changes at the start of a month,
 * and the two zones' midnights of that month's first day are hours apart: the hours between them belong to the month
 * before in the old zone when the new one lies west, and to the month of the change in the new zone when it lies
 * east. So the old zone's last day and month end, and the new zone's first day and month begin, at the later of the
 * two midnights (the changeover): every hour is in exactly one day and one month, and each period is still named by
 * the local date its start has in its zone.
 *
 * @param eras the zones in force, the first from the beginning of time, each later one from its month on
 */
public record ZoneSchedule(List<Era> eras) {

    private static final Map<ZoneId, ZoneSchedule> CONSTANT = new ConcurrentHashMap<>();

    /**
     * A zone and the month it takes over from the era before (null for the first era).
     *
     * @param since the changeover: the instant its periods begin (null for the first era)
     */
    public record Era(YearMonth from, ZoneId zone, Instant since) {
    }

    /** A change of zone as configured: the zone, and the month from which it bills (null: from the beginning). */
    public record Change(YearMonth from, ZoneId zone) {
    }

    public ZoneSchedule {
        eras = List.copyOf(eras);
        if (eras.isEmpty()) {
            throw new IllegalArgumentException("a zone schedule needs a zone");
        }
    }

    /** One zone for all time (asked for per observation: one instance per zone). */
    public static ZoneSchedule of(final ZoneId zone) {
        return CONSTANT.computeIfAbsent(zone, z -> new ZoneSchedule(List.of(new Era(null, z, null))));
    }

    /**
     * The schedule of these changes: the first without a month, each later one from a month after the one before.
     *
     * @throws IllegalArgumentException saying which change is out of order or repeats its zone
     */
    public static ZoneSchedule of(final List<Change> changes) {
        if (changes.isEmpty() || changes.get(0).from() != null) {
            throw new IllegalArgumentException("the first zone has no 'from': it bills until the next one takes over");
        }
        final List<Era> eras = new ArrayList<>();
        eras.add(new Era(null, changes.get(0).zone(), null));
        for (int i = 1; i < changes.size(); i++) {
            final Change change = changes.get(i);
            final Era before = eras.get(i - 1);
            if (change.from() == null) {
                throw new IllegalArgumentException("zone " + (i + 1) + " (" + change.zone() + ") has no 'from': "
                        + "every zone after the first needs the month it takes over");
            }
            if (before.from() != null && !change.from().isAfter(before.from())) {
                throw new IllegalArgumentException("zone " + (i + 1) + " takes over from " + change.from()
                        + ", not after the zone before it (" + before.from() + ")");
            }
            if (change.zone().equals(before.zone())) {
                throw new IllegalArgumentException("zone " + (i + 1) + " (" + change.zone() + ") is the zone "
                        + "already in force");
            }
            final Instant oldMidnight = change.from().atDay(1).atStartOfDay(before.zone()).toInstant();
            final Instant newMidnight = change.from().atDay(1).atStartOfDay(change.zone()).toInstant();
            eras.add(new Era(change.from(), change.zone(),
                    oldMidnight.isAfter(newMidnight) ? oldMidnight : newMidnight));
        }
        return new ZoneSchedule(eras);
    }

    /** The zone in force at {@code at}. */
    public ZoneId zoneAt(final Instant at) {
        return eras.get(eraAt(at)).zone();
    }

    /** The zone in force now and from the last change on. */
    public ZoneId latest() {
        return eras.get(eras.size() - 1).zone();
    }

    /** Every zone of the schedule, in order. */
    public List<ZoneId> zones() {
        return eras.stream().map(Era::zone).toList();
    }

    /** The zones in words, as a person gives them: {@code UTC, Asia/Tokyo from 2027-01}. */
    public String describe() {
        return String.join(", ", eras.stream().map(era -> era.from() == null ? era.zone().getId()
                : era.zone() + " from " + era.from()).toList());
    }

    /** The period of {@code granularity} that holds {@code at}. */
    public BillingPeriod containing(final Instant at, final Granularity granularity) {
        final int index = eraAt(at);
        final Era era = eras.get(index);
        if (index == eras.size() - 1 && era.since() == null) {
            return BillingPeriod.containing(at, granularity, era.zone()); // one zone for all time: the usual case
        }
        final Instant until = index + 1 < eras.size() ? eras.get(index + 1).since() : null;
        // moving west, the hours from the old zone's month end to the changeover stay in the old zone's last period
        final Instant calendarEnd = until == null ? null
                : eras.get(index + 1).from().atDay(1).atStartOfDay(era.zone()).toInstant();
        final Instant inCalendar = calendarEnd != null && !at.isBefore(calendarEnd) ? calendarEnd.minusMillis(1) : at;
        final BillingPeriod calendar = BillingPeriod.containing(inCalendar, granularity, era.zone());
        Instant start = calendar.start();
        Instant end = calendar.end();
        if (era.since() != null && start.isBefore(era.since())) {
            start = era.since(); // moving east, the new zone's first day and month begin at the changeover
        }
        if (calendarEnd != null && !end.isBefore(calendarEnd)) {
            end = until;
        }
        return new BillingPeriod(granularity, calendar.zone(), start, end);
    }

    /** The period that follows {@code period}. */
    public BillingPeriod next(final BillingPeriod period) {
        return containing(period.end(), period.granularity());
    }

    private int eraAt(final Instant at) {
        for (int i = eras.size() - 1; i > 0; i--) {
            if (!at.isBefore(eras.get(i).since())) {
                return i;
            }
        }
        return 0;
    }
}
