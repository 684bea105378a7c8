package io.usagepipeline.cli.run;

import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.runtime.Progress;
import java.io.PrintWriter;

/**
 * The progress line of a whole topic read ({@link CommittedRecords}): drawn from the first poll on, when the topic's
 * size is known, and nothing at all for an empty topic.
 */
public final class ReadingProgress implements CommittedRecords.Reading {

    private final PrintWriter console;
    private final String unit;
    private Progress progress;
    private long total;

    /** @param unit what the topic holds, as the line names it: {@code billing records} */
    public ReadingProgress(final PrintWriter console, final String unit) {
        this.console = console;
        this.unit = unit;
    }

    @Override
    public void read(final long offsets, final long total) {
        if (progress == null) {
            progress = new Progress(console, System.console() != null, total);
            this.total = total;
        }
        progress.update(offsets, progress.of(offsets, unit));
    }

    /** Ends the line, if the read drew one. */
    public void finish() {
        if (progress != null) {
            progress.finish(Progress.count(total) + " " + unit);
        }
    }
}
