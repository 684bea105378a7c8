package io.usagepipeline.processor.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Granularity;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void shouldBeTheCalendarOfItsZoneWithoutAChange() {
        final ZoneSchedule berlin = ZoneSchedule.of(ZoneId.of("Europe/Berlin"));
        final Instant at = Instant.parse("2026-10-25T12:00:00Z"); // the day DST ends: 25 hours

        assertThat(berlin.containing(at, Granularity.DAY)).isEqualTo(new BillingPeriod(Granularity.DAY,
                "Europe/Berlin", Instant.parse("2026-10-24T22:00:00Z"), Instant.parse("2026-10-25T23:00:00Z")));
        assertThat(berlin.next(berlin.containing(at, Granularity.MONTH))).isEqualTo(new BillingPeriod(
                Granularity.MONTH, "Europe/Berlin", Instant.parse("2026-10-31T23:00:00Z"),
                Instant.parse("2026-11-30T23:00:00Z")));
    }

    @Test
    void shouldBeginTheNewZonesFirstDayAndMonthAtTheOldMidnightMovingEast() {
        final ZoneSchedule schedule = change("Asia/Tokyo"); // Tokyo's 1 November begins at 31 October 15:00 UTC

        assertThat(schedule.containing(Instant.parse("2026-10-31T20:00:00Z"), Granularity.DAY)).isEqualTo(
                new BillingPeriod(Granularity.DAY, "UTC", Instant.parse("2026-10-31T00:00:00Z"),
                        Instant.parse("2026-11-01T00:00:00Z")));
        assertThat(schedule.containing(Instant.parse("2026-11-01T00:00:00Z"), Granularity.DAY)).isEqualTo(
                new BillingPeriod(Granularity.DAY, "Asia/Tokyo", Instant.parse("2026-11-01T00:00:00Z"),
                        Instant.parse("2026-11-01T15:00:00Z")));
        assertThat(schedule.containing(Instant.parse("2026-11-20T00:00:00Z"), Granularity.MONTH)).isEqualTo(
                new BillingPeriod(Granularity.MONTH, "Asia/Tokyo", Instant.parse("2026-11-01T00:00:00Z"),
                        Instant.parse("2026-11-30T15:00:00Z")));
        assertThat(schedule.zoneAt(Instant.parse("2026-10-31T23:59:59Z"))).isEqualTo(UTC);
    }

    @Test
    void shouldEndTheOldZonesLastDayAndMonthAtTheNewMidnightMovingWest() {
        final ZoneSchedule schedule = change("America/New_York"); // New York's 1 November begins at 04:00 UTC

        final BillingPeriod october = new BillingPeriod(Granularity.MONTH, "UTC",
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T04:00:00Z"));
        assertThat(schedule.containing(Instant.parse("2026-10-20T00:00:00Z"), Granularity.MONTH)).isEqualTo(october);
        assertThat(schedule.containing(Instant.parse("2026-11-01T02:00:00Z"), Granularity.MONTH)).isEqualTo(october);
        assertThat(schedule.containing(Instant.parse("2026-11-01T02:00:00Z"), Granularity.DAY)).isEqualTo(
                new BillingPeriod(Granularity.DAY, "UTC", Instant.parse("2026-10-31T00:00:00Z"),
                        Instant.parse("2026-11-01T04:00:00Z")));
        // DST ends in New York on 1 November 2026: its first day lasts 25 hours
        assertThat(schedule.next(october)).isEqualTo(new BillingPeriod(Granularity.MONTH, "America/New_York",
                Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-12-01T05:00:00Z")));
        assertThat(schedule.containing(Instant.parse("2026-11-01T04:00:00Z"), Granularity.DAY)).isEqualTo(
                new BillingPeriod(Granularity.DAY, "America/New_York", Instant.parse("2026-11-01T04:00:00Z"),
                        Instant.parse("2026-11-02T05:00:00Z")));
    }

    @Test
    void shouldCoverEveryInstantWithOneDayOfOneMonthAcrossChanges() {
        final ZoneSchedule schedule = ZoneSchedule.of(List.of(new ZoneSchedule.Change(null, UTC),
                new ZoneSchedule.Change(YearMonth.of(2026, 11), ZoneId.of("Pacific/Kiritimati")),
                new ZoneSchedule.Change(YearMonth.of(2027, 2), ZoneId.of("Pacific/Pago_Pago")),
                new ZoneSchedule.Change(YearMonth.of(2027, 4), ZoneId.of("Europe/London"))));
        BillingPeriod month = schedule.containing(Instant.parse("2026-09-15T00:00:00Z"), Granularity.MONTH);
        BillingPeriod day = schedule.containing(month.start(), Granularity.DAY);
        int months = 0;
        while (month.start().isBefore(Instant.parse("2027-05-15T00:00:00Z"))) { // September to May
            assertThat(day.start()).as("a month begins with a day").isEqualTo(month.start());
            while (day.end().isBefore(month.end())) {
                final BillingPeriod next = schedule.next(day);
                assertThat(next.start()).isEqualTo(day.end());
                assertThat(next.zone()).isEqualTo(month.zone());
                day = next;
            }
            assertThat(day.end()).as("a month ends with a day").isEqualTo(month.end());
            // each month is named by the local date of its start in its zone, one name each
            final YearMonth name = YearMonth.from(month.start().atZone(ZoneId.of(month.zone())));
            assertThat(name).isEqualTo(YearMonth.of(2026, 9).plusMonths(months));
            final BillingPeriod nextMonth = schedule.next(month);
            assertThat(nextMonth.start()).isEqualTo(month.end());
            month = nextMonth;
            day = schedule.next(day);
            months++;
        }
        assertThat(months).isEqualTo(9);
    }

    private static ZoneSchedule change(final String to) {
        return ZoneSchedule.of(List.of(new ZoneSchedule.Change(null, UTC),
                new ZoneSchedule.Change(YearMonth.of(2026, 11), ZoneId.of(to))));
    }
}
