package io.usagepipeline.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.Main;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.sink.DirectoryWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A second demo on the folder of one still running (with --follow, say) would move the folder aside under it,
     * and the first would go on writing half its files into the new run's: it is turned away, the folder untouched.
     */
    @Test
    void shouldLeaveTheFolderOfADemoStillRunning(@TempDir final Path dir) throws Exception {
        final Path out = dir.resolve("usage-out");
        try (DirectoryWriter running = new DirectoryWriter(out, "usage.totals.v1")) {
            Files.writeString(out.resolve(DemoCommand.CONFIG_FILE), "kafka: {}\n");
            final StringWriter errors = new StringWriter();
            final var commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(errors, true));

            assertThat(commandLine.execute("demo", "--out", out.toString(), "--days", "2"))
                    .isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(errors.toString().strip()).startsWith("configuration error: --out " + out
                    + " is being written by a demo or sink still running (this process, "
                    + ProcessHandle.current().pid() + "@").endsWith("); stop it, or give another --out");
            try (var entries = Files.list(dir)) {
                assertThat(entries).as("nothing moved aside").containsExactly(out);
            }
        }
    }
}
