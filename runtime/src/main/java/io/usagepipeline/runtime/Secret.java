package io.usagepipeline.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password or an API key: readable by the code that sends it, never printed, logged or shown by {@code toString}.
 * Secrets come from an environment variable or a file, never from a configuration file itself; {@link #read} is the
 * one place that reads them, for the collector's sources and the sink's database alike.
 *
 * <p>A secret from a file follows the file: one rotated in place (by a vault agent, a mounted Kubernetes secret, a
 * person) is what the next {@link #reveal} gives, so a collector logs in with the new password, and a sink reconnects
 * with it, without a restart. A file that cannot be read then, or is empty (being rewritten), leaves the value read
 * last, and says so once in the log.
 */
public final class Secret {

    private static final Logger LOG = LoggerFactory.getLogger(Secret.class);
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    /** A secret that cannot be read, with the configuration key that names it. */
    public static final class UnreadableException extends IllegalArgumentException {
        UnreadableException(final String message) {
            super(message);
        }
    }

    /** The file it was read from; null for a value given as such. */
    private final Path file;
    private String value;
    private boolean toldUnreadable;

    public Secret(final String value) {
        this.file = null;
        this.value = Objects.requireNonNull(value, "value");
    }

    private Secret(final Path file, final String value) {
        this.file = file;
        this.value = value;
    }

    /**
     * The secret in the environment variable named {@code variable} or in the file {@code file}; at most one of
     * them may be given, and empty when neither is.
     *
     * @param variableKey the configuration key that names the variable, for the message of a mistake
     * @param fileKey     the configuration key that names the file
     * @throws UnreadableException both are given, the variable is not set, or the file cannot be read or is empty
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
            final Path path = Path.of(file);
            final String value;
            try {
                value = contents(path);
            } catch (final IOException e) {
                throw new UnreadableException(fileKey + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                        + ")");
            }
            if (value.isEmpty()) {
                throw new UnreadableException(fileKey + ": " + file + " is empty");
            }
            return Optional.of(new Secret(path, value));
        }
        return Optional.empty();
    }

    /** The secret itself, for the one place that sends it: from a file, as the file holds it now. */
    public synchronized String reveal() {
        if (file != null) {
            follow();
        }
        return value;
    }

    /**
     * Reads the file again. Each read is a few microseconds, against a login or a request that takes milliseconds;
     * its modification time would miss a file rewritten within the file system's clock tick.
     */
    private void follow() {
        try {
            final String now = contents(file);
            if (now.isEmpty()) {
                unreadable("it is empty");
                return;
            }
            if (!now.equals(value)) {
                LOG.info("the secret in {} changed; using the new one", file);
            }
            value = now;
            toldUnreadable = false;
        } catch (final IOException e) {
            unreadable("cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * What a secret file holds: without its line end, and without the byte order mark an editor on Windows (Notepad,
     * PowerShell's {@code Out-File -Encoding utf8}) puts first, which is no whitespace to {@code strip()} and would
     * otherwise go out as the first character of the password, refused as a wrong one.
     */
    private static String contents(final Path path) throws IOException {
        final String text = Files.readString(path, StandardCharsets.UTF_8);
        return (text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text).strip();
    }

    private void unreadable(final String why) {
        if (!toldUnreadable) {
            toldUnreadable = true;
            LOG.warn("the secret file {}: {}; using what it held when read last", file, why);
        }
    }

    @Override
    public String toString() {
        return "***";
    }
}
