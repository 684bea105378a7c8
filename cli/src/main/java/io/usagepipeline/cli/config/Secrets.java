package io.usagepipeline.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Secrets come only from an environment variable or a file, never from the config file itself, and are never logged. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * The secret named by {@code envKey} (an environment variable's name) or {@code fileKey} (a file's path);
     * null when neither is set. A set but missing variable or unreadable file is a configuration error naming the key.
     */
    public static String read(final PipelineConfig config, final Map<String, String> env,
                              final Setting<String> envKey, final Setting<String> fileKey) {
        final String variable = config.get(envKey);
        final String file = config.get(fileKey);
        if (!variable.isEmpty() && !file.isEmpty()) {
            throw new ConfigException(envKey.path() + " and " + fileKey.path() + " are both set; give one");
        }
        if (!variable.isEmpty()) {
            final String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw new ConfigException(envKey.path() + ": environment variable " + variable + " is not set");
            }
            return value;
        }
        if (!file.isEmpty()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (final IOException e) {
                throw new ConfigException(fileKey.path() + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                        + ")");
            }
        }
        return null;
    }
}
