package io.usagepipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The process's page faults: memory touched for the first time is counted, page by page. */
class PageFaultsTest {

    private static final int PAGE = 4096;
    private static final int PAGES = 16_384; // 64 MiB, mapped anew: far above the C allocator's mmap threshold

    @Test
    void shouldCountEveryPageOfFreshMemoryTheProcessTouches() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")),
                "SKIPPED LOUDLY: no /proc/self/stat here, so bench prints no page faults on this system");
        assumeTrue(!hugePagesAlways(), "SKIPPED LOUDLY: transparent huge pages are always on here, so a fault maps "
                + "2 MiB and the count cannot be told from the pages touched");
        final long before = PageFaults.ofProcess().orElseThrow();

        final ByteBuffer fresh = ByteBuffer.allocateDirect(PAGES * PAGE); // zeroed, so every page is written
        for (int page = 0; page < PAGES; page++) {
            fresh.put(page * PAGE, (byte) 1);
        }

        final long taken = PageFaults.ofProcess().orElseThrow() - before;
        // each 4 KiB page faults once; the slack is the JVM's own threads meanwhile
        assertThat(taken).isBetween((long) PAGES, PAGES + 8_000L);
    }

    private static boolean hugePagesAlways() throws IOException {
        final Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(mode) && Files.readString(mode).contains("[always]");
    }
}
