package io.usagepipeline.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A quiet console for the long interactive commands: they show one progress line and a summary, and their log (every
 * INFO line of our parts, the embedded broker's own) goes to a file named at start, unless {@code --verbose}. The
 * services ({@code process}, {@code sink}, {@code collect}, ...) keep logging to the console, which is their log
 * under a supervisor. Decided before the first logger exists, since slf4j-simple reads its settings once.
 */
public final class LogFile {

    /** The commands whose console is for people. */
    private static final Set<String> INTERACTIVE = Set.of("demo", "replay", "bench", "raw", "report");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss");
    private static Path active;

    private LogFile() {
    }

    /** Sends the log of an interactive command to a file; returns the file, or empty when the log stays here. */
    public static Optional<Path> routeFor(final String[] args) {
        final List<String> words = List.of(args);
        final boolean interactive = !words.isEmpty() && (INTERACTIVE.contains(words.get(0))
                || words.get(0).equals("rate") && words.contains("--replay")); // the rater's replay, not the service
        if (!interactive || words.contains("--verbose") || words.contains("--help") || words.contains("-h")
                || words.contains("--version") || words.contains("-V")) {
            return Optional.empty();
        }
        // the process id too: two commands started in the same second must not share (and truncate) one file
        final Path file = Path.of(".usage-pipeline", "logs", words.get(0) + "-" + STAMP.format(LocalDateTime.now())
                + "-" + ProcessHandle.current().pid() + ".log").toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (final IOException e) {
            return Optional.empty(); // an unwritable directory: the log stays on the console
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        active = file;
        return Optional.of(file);
    }

    /** The file the log goes to in this run, if any. */
    public static Optional<Path> active() {
        return Optional.ofNullable(active);
    }
}
