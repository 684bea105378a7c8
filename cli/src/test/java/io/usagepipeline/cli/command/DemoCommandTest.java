package io.usagepipeline.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    /** The demo bills last month: its default history holds the whole of it, and 45 days at least. */
    @Test
    void shouldStartItsHistoryNoLaterThanTheFirstDayOfLastMonth() {
        assertThat(DemoCommand.defaultDays(LocalDate.of(2026, 12, 7))).isEqualTo(45); // from 2026-10-23
        assertThat(DemoCommand.defaultDays(LocalDate.of(2026, 12, 20))).isEqualTo(49); // from 2026-11-01
        assertThat(DemoCommand.defaultDays(LocalDate.of(2027, 1, 31))).isEqualTo(61); // from 2026-12-01

        for (LocalDate today = LocalDate.of(2026, 1, 1); today.getYear() < 2029; today = today.plusDays(1)) {
            final int days = DemoCommand.defaultDays(today);
            final LocalDate lastMonthBegins = YearMonth.from(today).minusMonths(1).atDay(1);
            assertThat(today.minusDays(days)).as("the history's first day on %s", today)
                    .isBeforeOrEqualTo(lastMonthBegins);
            assertThat(days == 45 || today.minusDays(days).equals(lastMonthBegins)).as("no longer than it needs, on %s",
                    today).isTrue();
            assertThat(days).as("on %s", today).isBetween(45, 62);
        }
    }
}
