package io.usagepipeline.cli.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import org.apache.kafka.common.serialization.Serializer;

/** What a replay writes for people and scripts: one value per line, as on its topic, replacing the file at once. */
public final class JsonLines {

    private JsonLines() {
    }

    public static <V> void write(final Path out, final Collection<V> values, final Serializer<V> serializer)
            throws IOException {
        final Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path temp = Files.createTempFile(parent, out.getFileName().toString(), ".tmp");
        try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (final V value : values) {
                writer.write(new String(serializer.serialize(null, value), StandardCharsets.UTF_8));
                writer.newLine();
            }
        }
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
