package io.usagepipeline.embedded;

/** The embedded broker could not start; the message says why in terms a user can act on. */
public final class BrokerStartException extends IllegalStateException {

    public BrokerStartException(final String message) {
        super(message);
    }

    public BrokerStartException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
