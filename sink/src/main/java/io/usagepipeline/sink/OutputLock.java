package io.usagepipeline.sink;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sink writes a folder of files. Two at once (a second {@code sink} started by hand, a supervisor that starts the
 * next before the last has stopped) would each append every record to {@code history.jsonl} and overwrite the other's
 * positions: the output would hold revisions twice. A sink holds a lock on {@code .sink.lock} in the folder while it
 * runs; the operating system lets it go when the process ends, however it ends ({@code kill -9} included), so there
 * is nothing to clean up after a crash. The file names the holder, for the one turned away.
 */
final class OutputLock implements AutoCloseable {

    private static final String NAME = ".sink.lock";
    /**
     * The folders this process holds. Checked before the file is opened at all: on Linux, closing any descriptor of
     * a file lets go of every lock the process holds on it, so a second writer in the same process must not open
     * the lock file and close it again.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(final Path dir, final FileChannel channel, final FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws OutputInUseException another sink, in this process or another, holds the folder */
    static OutputLock take(final Path dir) throws IOException {
        final Path file = dir.resolve(NAME);
        if (!HELD.add(dir)) {
            throw new OutputInUseException(dir, "this process, " + holder()); // not read from the file: see HELD
        }
        try {
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new OutputInUseException(dir, Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("process " + holder() + ", since "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new OutputLock(dir, channel, lock);
        } catch (final IOException | RuntimeException e) {
            HELD.remove(dir);
            throw e;
        }
    }

    /** {@code pid@host}, as the JVM names itself. */
    private static String holder() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            lock.release();
        } finally {
            HELD.remove(dir);
        }
    }
}
