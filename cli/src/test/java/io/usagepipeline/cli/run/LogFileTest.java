package io.usagepipeline.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runs of an interactive command keep their log on the console, and how many logs the folder keeps. */
class LogFileTest {

    /**
     * The folder keeps the newest logs: the oldest beyond them are removed, but not one written within the last day,
     * nor anything but a log.
     */
    @Test
    void shouldRemoveTheOldestLogsBeyondTheNewest(@TempDir final Path dir) throws Exception {
        final Instant now = Instant.parse("2026-12-08T05:00:00Z");
        written(dir, "demo-a.log", now.minus(Duration.ofMinutes(10)));
        written(dir, "demo-b.log", now.minus(Duration.ofHours(2))); // beyond the newest, but written today
        written(dir, "bench-c.log", now.minus(Duration.ofDays(2)));
        written(dir, "report-d.log", now.minus(Duration.ofDays(3)));
        written(dir, "demo-e.log", now.minus(Duration.ofDays(4)));
        written(dir, "notes.txt", now.minus(Duration.ofDays(30)));

        assertThat(LogFile.prune(dir, 1, now)).isEqualTo(3);

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("demo-a.log",
                    "demo-b.log", "notes.txt");
        }
    }

    private static void written(final Path dir, final String name, final Instant at) throws Exception {
        Files.setLastModifiedTime(Files.writeString(dir.resolve(name), "x"), FileTime.from(at));
    }

    /** A question about the command, not a run of it, has no log to point to: its answer alone is printed. */
    @Test
    void shouldKeepTheConsoleForHelpAndVersion() {
        for (final String option : new String[] {"--help", "-h", "--version", "-V"}) {
            assertThat(LogFile.routeFor(new String[] {"report", option})).as(option).isEmpty();
            assertThat(LogFile.routeFor(new String[] {"raw", "export", option})).as(option).isEmpty();
        }
    }
}
