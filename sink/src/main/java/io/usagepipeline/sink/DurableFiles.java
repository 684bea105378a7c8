package io.usagepipeline.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes that are on disk when they return, and that a crash or a full disk never leaves half done. */
final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Readers see the old file or the new one, never half of either: the new content goes to a temporary file, which
     * replaces the old one only once every byte of it is on disk. A write that fails (a full disk) leaves the old file
     * as it was and removes the temporary one.
     */
    static void replace(final Path file, final String content) throws IOException {
        Files.createDirectories(file.getParent());
        final Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(file, channel, content);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes every byte and forces it to disk. A channel may write fewer bytes than asked (a disk filling up does
     * this before it fails), so one call is not enough. A failure names {@code file}, whose name the system's own
     * message ({@code No space left on device}) leaves out.
     */
    static void writeFully(final Path file, final FileChannel channel, final String content) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (final IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
