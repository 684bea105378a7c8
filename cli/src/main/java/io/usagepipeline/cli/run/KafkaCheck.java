package io.usagepipeline.cli.run;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Fails fast, in one line, when Kafka does not answer: a command's clients would otherwise retry quietly for a
 * minute or more and end in a stack trace that names a timeout, not the address.
 */
public final class KafkaCheck {

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
