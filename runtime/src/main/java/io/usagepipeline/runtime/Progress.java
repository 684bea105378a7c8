package io.usagepipeline.runtime;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Progress of long work: a bar redrawn in place on a terminal (at most five times a second, however often it is
 * told), plain lines (every tenth) when the output is a file or a pipe, so logs stay readable.
 */
public final class Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final long total;
    private int lastTenth = -1;
    private int lastPercent = -1;
    private long drawnAt;
    private int drawnLength;

    public Progress(final PrintWriter out, final boolean terminal, final long total) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
    }

    public void update(final long done, final String detail) {
        final int percent = (int) (100 * done / Math.max(1, total));
        if (terminal) {
            final long now = System.nanoTime();
            if (percent == lastPercent && now - drawnAt < REDRAW_NANOS) {
                return;
            }
            lastPercent = percent;
            drawnAt = now;
            final int filled = WIDTH * percent / 100;
            draw("[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format("%3d%% ", percent)
                    + detail);
        } else if (percent / 10 != lastTenth && percent < 100) { // 100% is finish()'s line
            lastTenth = percent / 10;
            out.println(String.format("%3d%% ", percent) + detail);
            out.flush();
        }
    }

    /** Redraws the line in place, blanking what a longer line before it left. */
    private void draw(final String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        out.flush();
        drawnLength = line.length();
    }

    /** How far the work is, in its own unit: {@code 1,234 of 17,520,000 raw polls}. */
    public String of(final long done, final String unit) {
        return count(done) + " of " + count(total) + " " + unit;
    }

    /** A count as the console writes it, in progress lines and summaries alike: 17,520,000. */
    public static String count(final long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * The first {@code shown} of some names and how many more, as a console line lists them: {@code a, b and 7 more}.
     */
    public static String some(final List<String> names, final int shown) {
        return String.join(", ", names.subList(0, Math.min(names.size(), shown)))
                + (names.size() > shown ? " and " + count(names.size() - shown) + " more" : "");
    }

    public void finish(final String detail) {
        if (terminal) {
            draw("[" + "#".repeat(WIDTH) + "] 100% " + detail);
            out.println();
        } else {
            out.println("100% " + detail);
        }
        out.flush();
    }
}
