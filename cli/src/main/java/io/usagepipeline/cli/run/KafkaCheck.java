package io.usagepipeline.cli.run;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.OutputHistory;
import io.usagepipeline.events.TopicSpec;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.Setting;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
     * says nothing: the service's health reports that.
     */
    public static void requireTopics(final PipelineConfig config, final String prefix, final TopicSpec<?, ?>... specs) {
        final Set<String> existing;
        final Admin admin = Admin.create(config.kafkaProperties());
        try {
            existing = admin.listTopics().names().get(TOPICS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            return;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            admin.close(Duration.ZERO); // a request still waiting for a silent Kafka is dropped, not awaited
        }
        final List<String> missing = Stream.of(specs).map(spec -> spec.name(prefix))
                .filter(name -> !existing.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("topic" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " of the contract " + (missing.size() == 1 ? "does" : "do") + " not exist on "
                    + config.bootstrapServers() + "; run 'usage-pipeline topics create' (it only adds what is "
                    + "missing; a new version may bring new topics)");
        }
    }

    /**
     * Refuses, naming {@code key}, to start an application whose state does not know what its output already holds
     * ({@link OutputHistory}). When Kafka does not answer within a few seconds, it says so in the log and lets it
     * start: the service's health reports a Kafka that is not there, as for every service.
     */
    public static void requireOwnHistory(final PipelineConfig config, final OutputHistory history,
                                         final Setting<?> key) {
        final Map<String, Object> kafka = new HashMap<>(config.kafkaProperties());
        kafka.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WITHIN.toMillis());
        kafka.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WITHIN.toMillis());
        final Optional<String> refusal;
        final Admin admin = Admin.create(kafka);
        try {
            refusal = history.refusal(admin);
        } catch (final ExecutionException e) {
            LOG.warn("could not check that the {}'s state knows what {} holds ({})", history.part(),
                    history.output(), e.getCause().getMessage());
            return;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            admin.close(Duration.ZERO); // a request still waiting for a silent Kafka is dropped, not awaited
        }
        if (refusal.isPresent()) {
            throw new ConfigException(key.path() + ": " + refusal.get());
        }
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
