package io.usagepipeline.rating;

import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.OutputHistory;
import io.usagepipeline.events.StreamsFailures;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.runtime.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running rater: its topology on Kafka Streams with exactly-once processing. An unexpected error stops it
 * (SHUTDOWN_CLIENT) rather than skip a record, since a skipped record would leave a month mispriced; on restart it
 * resumes from its last committed transaction. A source topic missing from Kafka's metadata stops it too, but is told
 * apart ({@link #missedSourceTopic()}): it is often a broker restarting, and {@link RaterService} starts a new one.
 */
public final class Rater {

    private static final Logger LOG = LoggerFactory.getLogger(Rater.class);
    /** How many of the newest offsets of each partition of its state's changelog the currency check reads. */
    private static final int NEWEST_OFFSETS = 20;

    private final KafkaStreams streams;
    private volatile Instant stateSince = Instant.now();
    private volatile boolean sourceTopicMissing;

    public Rater(final RatingConfig config, final RaterMetrics metrics, final Properties streamsConfig,
                 final RatingRun run) {
        this.streams = new KafkaStreams(RatingTopology.build(config, metrics, run), streamsConfig);
        streams.setUncaughtExceptionHandler(exception -> {
            if (causedByMissingTopic(exception)) {
                LOG.warn("the rater stopped: {}", exception.getMessage());
                sourceTopicMissing = true;
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            // found pricing again what was published: the card's to change, in one line
            if (StreamsFailures.rootCause(exception) instanceof ConfigException refused) {
                LOG.error("the rater stopped: {}", refused.getMessage());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            final Optional<String> known = StreamsFailures.explain("rater", exception);
            if (known.isPresent()) { // one the operator acts on: one line
                LOG.error("{}", known.get());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("the rater stopped on an unexpected error; it resumes from its last commit when restarted",
                    exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("rater state {} -> {}", before, now);
            stateSince = Instant.now();
        });
    }

    private static boolean causedByMissingTopic(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof MissingSourceTopicException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses, before Kafka Streams starts, a card whose currency is not the one of the lines the rater under {@code
     * applicationId} published: the months it holds, which it prices again at start, read from the newest records of
     * its state's changelog (which its principal reads, where it only writes the charges topic). Started, it would
     * stop at the first of them ({@link Revisions#requireCurrency}), after Kafka Streams' own error lines.
     *
     * @throws ConfigException naming {@code rating.currency}
     */
    public static void requirePublishedCurrency(final Map<String, Object> kafka, final String applicationId,
                                                final RatingConfig card) {
        CommittedRecords.forEachNewest(kafka, OutputHistory.changelog(applicationId, RatingProcessor.MONTHS_STORE),
                RatingProcessor.MONTHS_SERDE.deserializer(), NEWEST_OFFSETS, record -> {
                    if (record.value() != null) {
                        record.value().published().values()
                                .forEach(line -> Revisions.requireCurrency(card.currency(), line));
                    }
                });
    }

    /** What the live rater under {@code applicationId} must know at start ({@link OutputHistory}). */
    public static OutputHistory outputHistory(final String applicationId, final String prefix) {
        return new OutputHistory("rater", applicationId, RatingProcessor.MONTHS_STORE,
                List.of(Topics.BILLING_RECORDS.name(prefix), Topics.REPORTS.name(prefix)), Topics.CHARGES.name(prefix));
    }

    /** Kafka Streams settings: exactly-once v2, the given client properties (bootstrap, security) and state dir. */
    public static Properties streamsConfig(final String applicationId, final Map<String, Object> kafka,
                                           final Path stateDir) {
        final Properties props = new Properties();
        props.putAll(kafka);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1); // the broker's default
        // No global store or table here, so this changes nothing but the log: left false, Kafka Streams 4.3 warns at
        // every start that it should be true (as it will be by default from 5.0), and once more where its partition
        // assignor reads the main consumer's settings.
        final String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsConfig.mainConsumerPrefix(globalHandler), true);
        return props;
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether a missing source topic stopped it or is stopping it, rather than an unexpected error. */
    public boolean missedSourceTopic() {
        return sourceTopicMissing;
    }

    /** When the rater entered its current state. */
    public Instant stateSince() {
        return stateSince;
    }

    /** Stops, committing what was rated; bounded so that a stuck broker cannot hang shutdown. */
    public boolean close(final Duration timeout) {
        return streams.close(timeout);
    }

    /**
     * Stops, committing what was rated, and leaves the group at once: for a replay that will not come back, and for a
     * clean shutdown of the live rater, whose successor (the rater started again with an edited card, another
     * instance) would otherwise wait out the session timeout (45 s) before it gets the partitions.
     */
    public boolean closeAndLeaveGroup(final Duration timeout) {
        return streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
    }

    KafkaStreams streams() {
        return streams;
    }
}
