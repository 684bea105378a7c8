package io.usagepipeline.runtime.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration option, declared once: its path in the YAML file, its default, how its text is parsed and what
 * a valid value looks like. Its environment variable is derived from the path
 * ({@code topics.replicationFactor} → {@code USAGE_PIPELINE_TOPICS_REPLICATION_FACTOR}).
 *
 * @param expected a description of valid values, used in error messages
 * @param parser   turns the text into a value, throwing {@link IllegalArgumentException} when it is not valid
 */
public record Setting<T>(String path, String defaultValue, String expected, Function<String, T> parser,
                         String description) {

    public static final String ENV_PREFIX = "USAGE_PIPELINE_";

    public Setting {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(description, "description");
    }

    public String envName() {
        return ENV_PREFIX + path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
