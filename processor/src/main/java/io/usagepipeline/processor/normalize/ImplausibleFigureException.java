package io.usagepipeline.processor.normalize;

/**
 * A payload that reads, but holds a figure no real fleet has: it must never be billed. It goes to the DLQ as
 * {@code IMPLAUSIBLE_FIGURE} rather than {@code MALFORMED_PAYLOAD}, so that an operator can tell a server reporting
 * absurd numbers from one speaking another dialect.
 */
public final class ImplausibleFigureException extends MalformedPayloadException {

    public ImplausibleFigureException(final String message) {
        super(message);
    }
}
