package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void shouldWriteALineEveryTenthToAFileAndOneLineAtTheEnd() {
        final StringWriter out = new StringWriter();
        final Progress progress = new Progress(new PrintWriter(out), false, 2_000);
        for (int done = 0; done <= 2_000; done += 100) {
            progress.update(done, Progress.count(done) + " raw polls");
        }
        progress.finish(Progress.count(2_000) + " raw polls");

        assertThat(out.toString().lines()).containsExactly("  0% 0 raw polls", " 10% 200 raw polls",
                " 20% 400 raw polls", " 30% 600 raw polls", " 40% 800 raw polls", " 50% 1,000 raw polls",
                " 60% 1,200 raw polls", " 70% 1,400 raw polls", " 80% 1,600 raw polls", " 90% 1,800 raw polls",
                "100% 2,000 raw polls");
    }

    @Test
    void shouldRedrawATerminalsLineOnlyWhenItsPercentChangesOrAFifthOfASecondHasPassed() {
        final StringWriter out = new StringWriter();
        final Progress progress = new Progress(new PrintWriter(out), true, 17_520_000);
        for (int done = 1; done <= 1_000; done++) {
            progress.update(done, Progress.count(done) + " raw polls"); // all within 0%, and faster than 200 ms
        }

        // the first drawing, and no other unless a pause of the machine let a fifth of a second pass
        assertThat(out.toString()).startsWith("\r[------------------------------]   0% 1 raw polls");
        assertThat(out.toString().chars().filter(c -> c == '\r').count()).isLessThan(10);
        progress.update(175_200, Progress.count(175_200) + " raw polls");
        assertThat(out.toString()).endsWith("\r[------------------------------]   1% 175,200 raw polls");
    }

    @Test
    void shouldBlankWhatALongerLineLeftOnATerminal() {
        final StringWriter out = new StringWriter();
        final Progress progress = new Progress(new PrintWriter(out), true, 10);
        progress.update(10, "10 of 10 raw polls sent");
        progress.finish("10 raw polls");

        assertThat(out.toString()).isEqualTo("\r[##############################] 100% 10 of 10 raw polls sent"
                + "\r[##############################] 100% 10 raw polls" + " ".repeat(11) + System.lineSeparator());
    }
}
