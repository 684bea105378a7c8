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
                assertThat(MonthData.mayBeIn(key(Granularity.DAY, day, zone), MARCH)).as("%s in %s", day, zone)
                        .isTrue();
            }
            assertThat(MonthData.mayBeIn(key(Granularity.MONTH, MARCH.atDay(1), zone), MARCH)).as(zone).isTrue();
        }
    }

    @Test
    void shouldSkipDaysOfOtherMonthsWithoutDecodingThem() {
        assertThat(MonthData.mayBeIn(key(Granularity.DAY, LocalDate.of(2026, 2, 27), "UTC"), MARCH)).isFalse();
        assertThat(MonthData.mayBeIn(key(Granularity.DAY, LocalDate.of(2026, 4, 2), "UTC"), MARCH)).isFalse();
        assertThat(MonthData.mayBeIn(key(Granularity.MONTH, LocalDate.of(2026, 1, 1), "UTC"), MARCH)).isFalse();
        assertThat(MonthData.mayBeIn("a key of another form", MARCH)).as("decoded to be sure").isTrue();
    }

    private static String key(final Granularity granularity, final LocalDate day, final String zone) {
        final Instant start = day.atStartOfDay(ZoneId.of(zone)).toInstant();
        return Keys.periodKey(SERIES, granularity, start);
    }
}
