package io.usagepipeline.events;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one line a Kafka Streams application of the pipeline (the processor, the rater) gives, instead of a trace, for
 * a failure a person acts on rather than a defect: a grant its principal lacks on a secured Kafka
 * ({@link KafkaRefusals}), partitions added to a topic it reads under it, and a full disk under its state. Read from
 * the failure's messages, which are all Kafka Streams and RocksDB give to tell them.
 */
public final class StreamsFailures {

    /** Kafka Streams' advice after an internal topic's partitions no longer match: delete them, and the state. */
    private static final Pattern RESETTER_ADVICE = Pattern.compile("\\. Use 'org\\.apache\\.kafka\\.tools\\."
            + "StreamsResetter'.*");

    private StreamsFailures() {
    }

    /** The innermost cause: what a person needs to read, under Kafka Streams' wrappers. */
    public static Throwable rootCause(final Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The line for {@code failure}, naming {@code part} ("processor"), or empty for any other failure.
     *
     * <ul>
     *   <li>A grant missing on a secured Kafka (an ACL): Kafka's authorization error, with what was being done.</li>
     *   <li>Partitions added to an input under it: at the rebalance that follows, a changelog or repartition topic
     *   no longer matches, and Kafka Streams advises deleting its internal topics, which loses the state; the start
     *   check says what to do ({@link OutputHistory#partitionsChanged}).</li>
     *   <li>Its state directory full: RocksDB cannot write a file; nothing is lost, since the state is rebuilt from
     *   the last commit.</li>
     * </ul>
     */
    public static Optional<String> explain(final String part, final Throwable failure) {
        final Optional<String> refused = KafkaRefusals.of(failure);
        if (refused.isPresent()) {
            return Optional.of("the " + part + " stopped: " + refused.get() + ", and start it again: it resumes from "
                    + "its last commit");
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            final String message = cause.getMessage();
            if (message == null) {
                continue;
            }
            if (message.contains(" has invalid partitions: ")) {
                return Optional.of("the " + part + " stopped: partitions were added to a topic it reads ("
                        + RESETTER_ADVICE.matcher(message).replaceFirst("") + "); started again, it says in one line "
                        + "what to do (README, 'Partitions added to a topic')");
            }
            if (message.contains("No space left on device")) {
                return Optional.of("the " + part + " stopped: the disk of its state directory is full (" + message
                        + "); started again with room, it resumes from its last commit");
            }
        }
        return Optional.empty();
    }
}
