package io.usagepipeline.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A quiet console for the long interactive commands: they show one progress line and a summary, and their log (every
 * INFO line of our parts, the embedded broker's own) goes to a file named at start, unless {@code --verbose}; the
 * folder keeps the {@link #KEPT} newest. The services ({@code process}, {@code sink}, {@code collect}, ...) keep
 * logging to the console, which is their log under a supervisor. Decided before the first logger exists, since slf4j-simple reads its settings once.
 */
public final class LogFile {

    /** The commands whose console is for people. */
    private static final Set<String> INTERACTIVE = Set.of("demo", "replay", "bench", "raw", "report");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss");
    /** How many logs the folder keeps: a run's start removes the oldest beyond them. */
    static final int KEPT = 50;
    private static final Duration KEEP_WRITTEN_WITHIN = Duration.ofDays(1);
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
        prune(file.getParent(), KEPT - 1, Instant.now());
        System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        active = file;
        return Optional.of(file);
    }

    /**
     * Removes the oldest logs of the folder beyond the {@code keep} newest, but none written to within the last day
     * (a {@code demo --follow} started long ago still writes its own). Best effort: a file that cannot be removed
     * stays, and nothing of it reaches the console.
     *
     * @return how many were removed
     */
    static int prune(final Path dir, final int keep, final Instant now) {
        final List<Map.Entry<Path, Instant>> logs; // each read once: newest first
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(path -> path.getFileName().toString().endsWith(".log") && Files.isRegularFile(path))
                    .map(path -> Map.entry(path, modified(path)))
                    .sorted(Map.Entry.<Path, Instant>comparingByValue().reversed()).toList();
        } catch (final IOException e) {
            return 0;
        }
        int removed = 0;
        for (final Map.Entry<Path, Instant> old : logs.subList(Math.min(keep, logs.size()), logs.size())) {
            try {
                if (old.getValue().isBefore(now.minus(KEEP_WRITTEN_WITHIN)) && Files.deleteIfExists(old.getKey())) {
                    removed++;
                }
            } catch (final IOException e) {
                // another user's file, or gone already: it stays, or is gone
            }
        }
        return removed;
    }

    private static Instant modified(final Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (final IOException e) {
            return Instant.EPOCH; // gone meanwhile: oldest, and not there to remove
        }
    }

    /** The file the log goes to in this run, if any. */
    public static Optional<Path> active() {
        return Optional.ofNullable(active);
    }
}
