package io.usagepipeline.sink;

import java.nio.file.Path;

/** Another sink (a demo's included) writes a folder of files: starting would write its records a second time. */
public final class OutputInUseException extends IllegalStateException {

    private final String holder;

    OutputInUseException(final Path dir, final String holder) {
        super("the files output " + dir + " is being written by another sink" + (holder.isEmpty() ? "" : " ("
                + holder + ")") + "; one sink writes an output: stop that one, or give this one another --csv-dir");
        this.holder = holder;
    }

    /** {@code process pid@host, since ...} as the holder wrote it; empty if it wrote nothing yet. */
    public String holder() {
        return holder;
    }
}
