package io.usagepipeline.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.runtime.Secret;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration as a part binds it: every declared setting already layered (defaults, file, environment, flags)
 * and checked, the structured sections as the file wrote them, and the Kafka client properties. Each part owns its
 * settings record and builds it from this tree; the command only loads the tree and hands it over.
 */
public interface ConfigTree {

    /** The value of a declared setting. */
    <T> T get(Setting<T> setting);

    /** Where a setting's value came from, e.g. "environment variable USAGE_PIPELINE_TOPICS_PREFIX". */
    String origin(Setting<?> setting);

    /** A structured section such as {@code collector.sources}, for its owner to bind and validate. */
    Optional<JsonNode> section(String path);

    /** Kafka client properties from every layer, e.g. {@code bootstrap.servers}, {@code security.protocol}. */
    Map<String, Object> kafkaProperties();

    /** The environment secrets are read from. */
    Map<String, String> env();

    /**
     * The secret named by {@code variableKey} (an environment variable's name) or {@code fileKey} (a file's path);
     * empty when neither is set. A set but missing variable or an unreadable file is a configuration error naming
     * the key and where its value came from.
     */
    default Optional<Secret> secret(final Setting<String> variableKey, final Setting<String> fileKey) {
        try {
            return Secret.read(get(variableKey), label(variableKey), get(fileKey), label(fileKey), env());
        } catch (final Secret.UnreadableException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The directory a setting names, made with its parents when it is missing: a service makes its state directory
     * before Kafka Streams starts, which otherwise fails in its own words, and could fail when two processes made
     * the same directory at the same moment (it checks, then makes, and gives up when the other was first). A path
     * that cannot be a directory is a configuration error naming the key.
     */
    default Path directory(final Setting<Path> key) {
        final Path dir = get(key);
        try {
            return Files.createDirectories(dir);
        } catch (final IOException e) {
            throw new ConfigException(key.path() + " = '" + dir + "' (from " + origin(key) + "): cannot make the "
                    + "directory (" + why(e) + ")", e);
        }
    }

    /** What went wrong, in words: the JDK's exceptions often carry only the path. */
    private static String why(final IOException e) {
        if (!(e instanceof FileSystemException failed)) {
            return e.getMessage();
        }
        final String reason = failed.getReason() != null ? failed.getReason()
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "a file, not a directory, is in the way"
                : e instanceof NoSuchFileException ? "no such file or directory"
                : "it failed";
        return reason + ": " + failed.getFile();
    }

    private String label(final Setting<String> key) {
        return get(key).isEmpty() ? key.path() : key.path() + " (from " + origin(key) + ")";
    }
}
