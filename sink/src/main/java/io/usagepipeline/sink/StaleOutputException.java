package io.usagepipeline.sink;

/**
 * An output holds positions of another Kafka history (another cluster, a recreated topic, offsets beyond the log
 * end). Writing on would mix two histories in one output, or silently skip records below the stored positions, so the
 * sink refuses to start; the message says what differs and what to do.
 */
public final class StaleOutputException extends RuntimeException {

    public StaleOutputException(final String message) {
        super(message);
    }
}
