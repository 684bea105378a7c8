package io.usagepipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The statements decode only the billing records whose key may name a period of the month, in any billing zone. */
class MonthDataTest {

    private static final YearMonth MARCH = YearMonth.of(2026, 3);
    private static final String SERIES = "acme|vac-eu|VBR_vSphere_VM";

    @Test
    void shouldDecodeEveryDayOfTheMonthInTheZonesFurthestFromUtc() {
        for (final String zone : new String[] {"Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Chatham", "UTC"}) {
            for (LocalDate day = MARCH.atDay(1); !day.isAfter(MARCH.atEndOfMonth()); day = day.plusDays(1)) {
                assertThat(MonthData.mayBeIn(MARCH).test(key(Granularity.DAY, day, zone))).as("%s in %s", day, zone)
                        .isTrue();
            }
            assertThat(MonthData.mayBeIn(MARCH).test(key(Granularity.MONTH, MARCH.atDay(1), zone))).as(zone).isTrue();
        }
    }

    @Test
    void shouldSkipDaysOfOtherMonthsWithoutDecodingThem() {
        assertThat(MonthData.mayBeIn(MARCH).test(key(Granularity.DAY, LocalDate.of(2026, 2, 27), "UTC"))).isFalse();
        assertThat(MonthData.mayBeIn(MARCH).test(key(Granularity.DAY, LocalDate.of(2026, 4, 2), "UTC"))).isFalse();
        assertThat(MonthData.mayBeIn(MARCH).test(key(Granularity.MONTH, LocalDate.of(2026, 1, 1), "UTC"))).isFalse();
        assertThat(MonthData.mayBeIn(MARCH).test("a key of another form")).as("decoded to be sure").isTrue();
    }

    private static String key(final Granularity granularity, final LocalDate day, final String zone) {
        final Instant start = day.atStartOfDay(ZoneId.of(zone)).toInstant();
        return Keys.periodKey(SERIES, granularity, start);
    }
}
