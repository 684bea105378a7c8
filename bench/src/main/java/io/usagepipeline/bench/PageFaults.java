package io.usagepipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The page faults this process has taken, all its threads together (the embedded broker's included), as Linux counts
 * them in {@code /proc/self/stat}: a first touch of memory the process had not used, which costs about 11 µs a page
 * on the build machine. A stage that grows the Java heap or maps new native memory takes many; elsewhere than on
 * Linux there is no count.
 */
final class PageFaults {

    private static final Path STAT = Path.of("/proc/self/stat");
    /** Fields after the command's closing parenthesis, from 0: state, ..., minflt at 7, majflt at 9 (proc(5)). */
    private static final int MINOR = 7;
    private static final int MAJOR = 9;

    private PageFaults() {
    }

    /** Minor and major faults so far, or nothing where the system does not count them. */
    static OptionalLong ofProcess() {
        try {
            final String stat = Files.readString(STAT);
            // the command name may hold spaces and parentheses: the fields start after its last ')'
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[MINOR]) + Long.parseLong(fields[MAJOR]));
        } catch (final IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
