package io.usagepipeline.sink;

import java.nio.file.Path;

/**
 * Another sink (a demo's included) writes a folder of files, or another sink of the same name a database schema:
 * starting would write its records a second time.
 */
public final class OutputInUseException extends IllegalStateException {

    private final String holder;

    OutputInUseException(final Path dir, final String holder) {
        this("the files output " + dir + " is being written by another sink" + (holder.isEmpty() ? "" : " ("
                + holder + ")") + "; one sink writes an output: stop that one, or give this one another --csv-dir",
                holder);
    }

    private OutputInUseException(final String message, final String holder) {
        super(message);
        this.holder = holder;
    }

    /** @param holder who holds it, and what to do if it is gone; empty where the server did not say */
    static OutputInUseException database(final String url, final String schema, final String sinkName,
                                         final String holder) {
        return new OutputInUseException("the PostgreSQL output " + url + " (schema " + schema + ") is being written "
                + "by another sink named '" + sinkName + "'" + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; one sink of a name writes a database: stop that one, or give this one another --name", holder);
    }

    /**
     * Who holds the output: for files, {@code process pid@host, since ...} as the holder wrote it, empty if it wrote
     * nothing yet; for a database, the holder's session and how to end it, empty where the server did not say.
     */
    public String holder() {
        return holder;
    }
}
