package io.usagepipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The statements decode only the billing records whose key may name a period of the month, in any billing zone; and
 * list each alert of the month once.
 */
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

    /**
     * The alerts topic holds an episode's start and, under the same id, its end: a statement lists the episode once,
     * as it ended. An episode open during the month is the month's, wherever it began or ended.
     */
    @Test
    void shouldListEachEpisodeOpenDuringTheMonthOnceAsItEnded() {
        final Alert endedInMarch = Alert.started(AlertKind.DROPPED_TO_ZERO, SERIES, "acme",
                Instant.parse("2026-03-05T00:00:30Z"), "at zero after 40 instances");
        final Alert fromFebruaryOn = Alert.started(AlertKind.DROPPED_TO_ZERO, "acme|vac-eu|VBR_Windows_Server_Agent",
                "acme", Instant.parse("2026-02-20T00:00:30Z"), "at zero after 3 instances");
        final Alert februaryOnly = Alert.started(AlertKind.SPIKE, SERIES, "acme",
                Instant.parse("2026-02-10T00:00:00Z"), "up from 10 to 40");
        final Alert untilMarch = Alert.started(AlertKind.TARGET_FAILING, "vac-eu", null,
                Instant.parse("2026-02-28T20:00:00Z"), "failing for 4 h");
        final Alert april = Alert.started(AlertKind.SPIKE, SERIES, "acme", Instant.parse("2026-04-01T00:00:00Z"),
                "up from 10 to 40");
        final Alert unpriced = Alert.started(AlertKind.UNPRICED, "acme|2026-03|CC_VM_Backup", "acme",
                Instant.parse("2026-04-01T00:00:00Z"), "no line of card 'standard' matches CC_VM_Backup");
        final List<Alert> published = List.of(endedInMarch, fromFebruaryOn, februaryOnly,
                endedInMarch.resolved(Instant.parse("2026-03-12T00:00:30Z"), "above zero again: 41 instances"),
                februaryOnly.resolved(Instant.parse("2026-02-11T00:00:00Z"), "back to 10"),
                untilMarch, untilMarch.resolved(Instant.parse("2026-03-01T01:00:00Z"), "answering again"), april,
                unpriced);

        // as each ended, with what started it
        assertThat(MonthData.ofMonth(published, MARCH)).containsExactly(fromFebruaryOn, untilMarch.resolved(
                Instant.parse("2026-03-01T01:00:00Z"), "failing for 4 h; ended: answering again"),
                endedInMarch.resolved(Instant.parse("2026-03-12T00:00:30Z"),
                        "at zero after 40 instances; ended: above zero again: 41 instances"), unpriced);
        // the end read before the start (another partition, or a processor that read its input again) still wins
        assertThat(MonthData.ofMonth(List.of(endedInMarch.resolved(Instant.parse("2026-03-12T00:00:30Z"), "again"),
                endedInMarch, endedInMarch), MARCH)).containsExactly(endedInMarch.resolved(
                        Instant.parse("2026-03-12T00:00:30Z"), "at zero after 40 instances; ended: again"));
    }

    private static String key(final Granularity granularity, final LocalDate day, final String zone) {
        final Instant start = day.atStartOfDay(ZoneId.of(zone)).toInstant();
        return Keys.periodKey(SERIES, granularity, start);
    }
}
