package io.usagepipeline.cli.run;

import java.util.regex.Pattern;

/** A word of a command line printed for a person to paste into a POSIX shell, which must give the word back whole. */
public final class ShellWord {

    /** What no POSIX shell reads as anything but itself. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWord() {
    }

    /**
     * The word as it is where the shell would give it back unchanged, and in single quotes otherwise: a folder named
     * {@code billing out} printed bare would reach the command as two words.
     */
    public static String of(final String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
