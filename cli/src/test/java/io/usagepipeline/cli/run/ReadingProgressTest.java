package io.usagepipeline.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress line of a topic read, as a console that is not a terminal (a log, CI) gets it. */
class ReadingProgressTest {

    private final StringWriter console = new StringWriter();
    private final ReadingProgress progress = new ReadingProgress(new PrintWriter(console), "billing records read");

    @Test
    void shouldSayEveryTenthOfTheTopicAndItsEnd() {
        progress.read(500, 40_000);
        progress.read(3_500, 40_000); // 8%: still the first tenth, no line
        progress.read(12_000, 40_000);
        progress.read(40_000, 40_000);
        progress.finish();

        assertThat(console.toString().lines()).containsExactly(
                "  1% 500 of 40,000 billing records read",
                " 30% 12,000 of 40,000 billing records read",
                "100% 40,000 billing records read");
    }

    /** An empty topic is read without a poll: no line at all. */
    @Test
    void shouldSayNothingForAnEmptyTopic() {
        progress.finish();

        assertThat(console.toString()).isEmpty();
    }
}
