package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.usagepipeline.events.PeriodRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file output on a real, small Linux file system (tmpfs) that fills up. A disk that is almost full accepts part
 * of a write before it fails: that short write must never become a cut file. Needs permission to mount a tmpfs
 * (root, as in CI); elsewhere it is skipped, and says so.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class FullDiskIT {

    private static final String TOTALS = "usage.totals.v1";
    private static final TopicPartition BILLING = new TopicPartition("billing.records.v1", 0);

    @TempDir
    Path temp;
    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectories(temp.resolve("disk"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString());
        if (!mounted) {
            System.err.println("*** FullDiskIT SKIPPED: cannot mount a tmpfs here (needs root); the full-disk "
                    + "behaviour of the file output is NOT tested in this run ***");
        }
        assumeTrue(mounted, "cannot mount a tmpfs");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", disk.toString());
        }
    }

    @Test
    void shouldNeverCutAFileWhenTheDiskFillsAndRestartCleanlyOnceThereIsSpaceAgain() throws Exception {
        final Path out = disk.resolve("billing");
        try (DirectoryWriter writer = new DirectoryWriter(out, TOTALS)) {
            writer.write(List.of(record(0, Records.billing("acme", Records.DAY, 1, "96"))));
        }
        final String dayBefore = Files.readString(out.resolve("day/2026-03-10.csv"));
        final List<PositionedRecord> batch = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            batch.add(record(i + 1, Records.billing("tenant-" + i, Records.DAY, 1, String.valueOf(i))));
        }
        // room for the batch's history lines and half of its new day file: the history append succeeds, and the
        // day file's write is accepted in part, then fails
        final Path scratch = temp.resolve("scratch");
        try (DirectoryWriter writer = new DirectoryWriter(scratch, TOTALS)) {
            writer.write(batch);
        }
        final long room = Files.size(scratch.resolve("history.jsonl"))
                + Files.size(scratch.resolve("day/2026-03-10.csv")) / 2;
        final Path ballast = fill(disk.resolve("ballast"));
        try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - room);
        }

        try (DirectoryWriter writer = new DirectoryWriter(out, TOTALS)) {
            assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(IOException.class)
                    .hasMessage("cannot write " + out.resolve("day/2026-03-10.csv") + ": No space left on device");
        }
        try (var files = Files.walk(out)) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
        }
        assertThat(Files.readString(out.resolve("day/2026-03-10.csv"))).as("the good file, whole")
                .isEqualTo(dayBefore);

        Files.delete(ballast);
        try (DirectoryWriter restarted = new DirectoryWriter(out, TOTALS)) {
            final long from = restarted.checkpoint().positions().get(BILLING);
            restarted.write(batch.stream().filter(record -> record.offset() >= from).toList());
        }
        final List<String> day = Files.readAllLines(out.resolve("day/2026-03-10.csv"));
        assertThat(day).hasSize(402).doesNotHaveDuplicates();
        final int columns = day.get(0).split(",").length;
        assertThat(day).allSatisfy(row -> assertThat(row.split(",", -1)).hasSize(columns));
        assertThat(Files.readAllLines(out.resolve("history.jsonl"))).hasSize(401).doesNotHaveDuplicates();
    }

    private static Path fill(final Path ballast) {
        try (OutputStream stream = Files.newOutputStream(ballast)) {
            final byte[] block = new byte[4096];
            while (true) {
                stream.write(block);
            }
        } catch (final IOException full) {
            return ballast;
        }
    }

    private static boolean run(final String... command) throws Exception {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (final IOException e) {
            return false; // no mount command
        }
    }

    private static PositionedRecord record(final long offset, final PeriodRecord value) {
        return new PositionedRecord(BILLING, offset, value.periodKey(), value);
    }
}
