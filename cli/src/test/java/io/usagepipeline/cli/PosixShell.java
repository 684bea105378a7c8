package io.usagepipeline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How a POSIX shell ({@code sh}) splits a command line a person pastes into it: the words the command gets. */
public final class PosixShell {

    private PosixShell() {
    }

    /** The words of {@code line} after the shell's quoting and expansions, each as the command receives it. */
    public static List<String> words(final String line) throws IOException, InterruptedException {
        final Process shell = new ProcessBuilder("sh", "-c", "printf '%s\\0' " + line).redirectErrorStream(true)
                .start();
        final String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!shell.waitFor(30, TimeUnit.SECONDS) || shell.exitValue() != 0) {
            throw new AssertionError("sh could not read " + line + ": " + out);
        }
        return Arrays.asList(out.substring(0, out.length() - 1).split("\0", -1));
    }
}
