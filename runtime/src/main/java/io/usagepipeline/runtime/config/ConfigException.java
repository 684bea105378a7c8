package io.usagepipeline.runtime.config;

/** Bad configuration, reported at start with the key and where its value came from. */
public final class ConfigException extends RuntimeException {

    public ConfigException(final String message) {
        super(message);
    }

    public ConfigException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
