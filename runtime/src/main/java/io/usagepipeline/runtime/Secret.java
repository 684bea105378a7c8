package io.usagepipeline.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A password or an API key: readable by the code that sends it, never printed, logged or shown by {@code toString}.
 * Secrets come from an environment variable or a file, never from a configuration file itself; {@link #read} is the
 * one place that reads them, for the collector's sources and the sink's database alike.
 */
public final class Secret {

    /** A secret that cannot be read, with the configuration key that names it. */
    public static final class UnreadableException extends IllegalArgumentException {
        UnreadableException(final String message) {
            super(message);
        }
    }

    private final String value;

    public Secret(final String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * The secret in the environment variable named {@code variable} or in the file {@code file}; at most one of
     * them may be given, and empty when neither is.
     *
     * @param variableKey the configuration key that names the variable, for the message of a mistake
     * @param fileKey     the configuration key that names the file
     * @throws UnreadableException both are given, the variable is not set, or the file cannot be read
     */
    public static Optional<Secret> read(final String variable, final String variableKey, final String file,
                                        final String fileKey, final Map<String, String> env) {
        final boolean byVariable = variable != null && !variable.isEmpty();
        final boolean byFile = file != null && !file.isEmpty();
        if (byVariable && byFile) {
            throw new UnreadableException(variableKey + " and " + fileKey + " are both set; give one");
        }
        if (byVariable) {
            final String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw new UnreadableException(variableKey + ": environment variable " + variable + " is not set");
            }
            return Optional.of(new Secret(value));
        }
        if (byFile) {
            try {
                return Optional.of(new Secret(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip()));
            } catch (final IOException e) {
                throw new UnreadableException(fileKey + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                        + ")");
            }
        }
        return Optional.empty();
    }

    /** The secret itself, for the one place that sends it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
