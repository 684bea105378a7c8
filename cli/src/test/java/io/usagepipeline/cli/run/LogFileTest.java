package io.usagepipeline.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which runs of an interactive command keep their log on the console. */
class LogFileTest {

    /** A question about the command, not a run of it, has no log to point to: its answer alone is printed. */
    @Test
    void shouldKeepTheConsoleForHelpAndVersion() {
        for (final String option : new String[] {"--help", "-h", "--version", "-V"}) {
            assertThat(LogFile.routeFor(new String[] {"report", option})).as(option).isEmpty();
            assertThat(LogFile.routeFor(new String[] {"raw", "export", option})).as(option).isEmpty();
        }
    }
}
