package io.usagepipeline.cli.run;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.KafkaRefusals;
import io.usagepipeline.events.KafkaSilence;
import io.usagepipeline.events.OutputHistory;
import io.usagepipeline.events.TopicSpec;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.Setting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command asks of Kafka before it starts, failing in one line: that Kafka answers (a command's clients would
 * otherwise retry quietly for a minute or more and end in a stack trace that names a timeout, not the address), that
 * the topics it needs exist, and that a service's state knows what its output already holds.
 */
public final class KafkaCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCheck.class);
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Duration TOPICS_WITHIN = Duration.ofSeconds(5);

    private KafkaCheck() {
    }

    /**
     * Fails in one line when a topic the command writes or reads does not exist, rather than letting its clients
     * wait for it (an upgrade may bring new topics of the contract). When Kafka does not answer within a few seconds,
     * says so in one line and returns false: the service starts and waits for Kafka, and its health reports it.
     *
     * @return whether Kafka answered, so that the checks after it need not wait for it again
     */
    public static boolean requireTopics(final PipelineConfig config, final String prefix,
                                        final TopicSpec<?, ?>... specs) {
        final Optional<String> silent = unanswered(config, TOPICS_WITHIN, admin -> {
            final Set<String> existing = admin.listTopics().names().get();
            final List<String> missing = Stream.of(specs).map(spec -> spec.name(prefix))
                    .filter(name -> !existing.contains(name)).toList();
            final List<String> hidden = hidden(admin, missing);
            if (!hidden.isEmpty()) {
                throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " does not let this "
                        + "principal see topic" + (hidden.size() == 1 ? " " : "s ") + String.join(", ", hidden)
                        + " (topic authorization failed): " + KafkaRefusals.WHAT_TO_DO + " (Write or Read, which "
                        + "include Describe)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topic" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + " of the contract " + (missing.size() == 1 ? "does" : "do")
                        + " not exist on " + config.bootstrapServers() + "; run 'usage-pipeline topics create' (it "
                        + "only adds what is missing; a new version may bring new topics)");
            }
        });
        silent.ifPresent(reason -> LOG.warn("Kafka at {} did not answer within {} s ({}); starting without checking "
                + "its topics, and waiting for it", config.bootstrapServers(), TOPICS_WITHIN.toSeconds(), reason));
        return silent.isEmpty();
    }

    /**
     * Those of {@code topics}, absent from the topic list, that this principal may not see: Kafka lists only the
     * topics a principal may describe, and answers "topic authorization failed" for one it may not, whether or not
     * it exists.
     */
    private static List<String> hidden(final Admin admin, final List<String> topics) throws InterruptedException {
        final List<String> hidden = new ArrayList<>();
        for (final Map.Entry<String, KafkaFuture<TopicDescription>> topic
                : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                topic.getValue().get();
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    hidden.add(topic.getKey());
                }
            }
        }
        return hidden;
    }

    /**
     * Refuses, naming {@code key}, to start an application whose state is of other topics or of other partitions than
     * its inputs now have, or does not know what its output already holds ({@link OutputHistory}); with {@code
     * newState} (a person has checked that starting without state is right), only the first two. When Kafka does not
     * answer within a few seconds, it says so in the log and lets it start: the service's health reports a Kafka that
     * is not there, as for every service.
     */
    public static void requireOwnHistory(final PipelineConfig config, final OutputHistory history,
                                         final Setting<?> key, final boolean newState) {
        unanswered(config, WITHIN, admin -> {
            Optional<String> refusal = history.partitionsChanged(admin); // --new-state does not mend that either
            if (refusal.isEmpty()) {
                refusal = newState ? history.foreignState(admin) : history.refusal(admin);
            }
            refusal.ifPresent(reason -> {
                throw new ConfigException(key.path() + ": " + reason);
            });
            history.positionsLost(admin).ifPresent(LOG::warn);
            history.deletedUnread(admin).forEach(LOG::warn);
        }).ifPresent(reason -> LOG.warn("could not check that the {}'s state knows what {} holds ({})",
                history.part(), history.output(), reason));
    }

    /**
     * Fails in one line, naming {@code option}, when one of {@code topics} holds committed records: a command that
     * runs a pipeline of its own on them would mix its figures with those (a sink keeps the first record it reads of
     * each revision). When Kafka does not answer within a few seconds, says nothing: the command's own wait does.
     *
     * @param instead what to do instead, for the message
     */
    public static void requireUnused(final PipelineConfig config, final String option, final String instead,
                                     final String... topics) {
        unanswered(config, TOPICS_WITHIN, admin -> {
            final Set<String> existing = admin.listTopics().names().get();
            for (final String topic : topics) {
                if (existing.contains(topic) && GroupProgress.holdsRecords(admin, topic, true)) {
                    throw new ConfigException(option + ": " + topic + " on " + config.bootstrapServers()
                            + " already holds records; " + instead);
                }
            }
        });
    }

    /** A check that asks Kafka, and throws the command's one-line error when the answer says it must not start. */
    @FunctionalInterface
    private interface Check {
        void run(Admin admin) throws ExecutionException, InterruptedException;
    }

    /**
     * Runs {@code check} with every request bounded by {@code within}; why Kafka did not answer it, if it did not (a
     * timeout, or an error such as a missing grant).
     */
    private static Optional<String> unanswered(final PipelineConfig config, final Duration within, final Check check) {
        final Map<String, Object> kafka = new HashMap<>(config.kafkaProperties());
        kafka.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) within.toMillis());
        kafka.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) within.toMillis());
        final Admin admin = Admin.create(kafka);
        try {
            check.run(admin);
            return Optional.empty();
        } catch (final ExecutionException e) {
            return Optional.of(KafkaSilence.explain(e, config.bootstrapServers()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            admin.close(Duration.ZERO); // a request still waiting for a silent Kafka is dropped, not awaited
        }
    }

    /**
     * Stops, with one line, unless Kafka answers and holds these topics of the contract under {@code prefix}: for a
     * command that talks to Kafka once, where a mistyped prefix is not an empty history.
     */
    public static void require(final PipelineConfig config, final String prefix, final TopicSpec<?, ?>... topics) {
        require(config);
        requireTopics(config, prefix, topics);
    }

    /** Asks Kafka who it is; throws with the address and the fix when it does not answer within 10 s. */
    public static void require(final PipelineConfig config) {
        final Optional<String> silent;
        try (KafkaProbe probe = new KafkaProbe(config.kafkaProperties(), WITHIN, Clock.systemUTC())) {
            silent = probe.askNow();
        }
        if (silent.isPresent()) {
            throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " did not answer within "
                    + WITHIN.toSeconds() + " s (" + silent.get() + "); check --bootstrap-servers "
                    + "(kafka.bootstrap.servers) and that the broker is running");
        }
    }
}
