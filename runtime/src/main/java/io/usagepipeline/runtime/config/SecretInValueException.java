package io.usagepipeline.runtime.config;

/**
 * Thrown by a setting's parser when the value itself holds a secret (a database URL with its password): the error
 * that reports it names the key and where the value came from, but does not repeat the value.
 */
public final class SecretInValueException extends IllegalArgumentException {

    public SecretInValueException(final String message) {
        super(message);
    }
}
