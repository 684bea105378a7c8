package io.usagepipeline.runtime;

import java.io.PrintWriter;

/**
 * Progress of long work: a bar redrawn in place on a terminal, plain lines (every tenth) when the output is a file or
 * a pipe, so logs stay readable.
 */
public final class Progress {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final long total;
    private int lastTenth = -1;

    public Progress(final PrintWriter out, final boolean terminal, final long total) {
        this.out = out;
        this.terminal = terminal;
        this.total = Math.max(1, total);
    }

    public void update(final long done, final String detail) {
        final int percent = (int) (100 * done / total);
        if (terminal) {
            final int filled = WIDTH * percent / 100;
            out.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format("%3d%% ", percent)
                    + detail + "   ");
            out.flush();
        } else if (percent / 10 != lastTenth) {
            lastTenth = percent / 10;
            out.println(String.format("%3d%% ", percent) + detail);
            out.flush();
        }
    }

    public void finish(final String detail) {
        if (terminal) {
            out.println("\r[" + "#".repeat(WIDTH) + "] 100% " + detail + "   ");
        } else {
            out.println("100% " + detail);
        }
        out.flush();
    }
}
