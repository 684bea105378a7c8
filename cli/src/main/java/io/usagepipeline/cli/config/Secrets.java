package io.usagepipeline.cli.config;

import io.usagepipeline.runtime.Secret;
import java.util.Map;

/** The configuration's side of {@link Secret#read}: the keys that name a secret's variable or file. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * The secret named by {@code envKey} (an environment variable's name) or {@code fileKey} (a file's path);
     * null when neither is set. A set but missing variable or unreadable file is a configuration error naming the key.
     */
    public static Secret read(final PipelineConfig config, final Map<String, String> env,
                              final Setting<String> envKey, final Setting<String> fileKey) {
        try {
            return Secret.read(config.get(envKey), label(config, envKey), config.get(fileKey),
                    label(config, fileKey), env).orElse(null);
        } catch (final Secret.UnreadableException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The key, and where its value came from when it was given: {@code sink.jdbc.passwordEnv (from flag ...)}. */
    private static String label(final PipelineConfig config, final Setting<String> key) {
        return config.get(key).isEmpty() ? key.path() : key.path() + " (from " + config.origin(key) + ")";
    }
}
