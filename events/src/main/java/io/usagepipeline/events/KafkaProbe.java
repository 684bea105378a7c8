package io.usagepipeline.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether Kafka answers, asked every few seconds in the background: the clients of a stage retry quietly and
 * forever, so without asking, a stage looks healthy through a whole outage. Until a first answer, Kafka counts as
 * unreachable since the probe started.
 */
public final class KafkaProbe implements AutoCloseable {

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration every;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "kafka-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Instant lastAnswer;
    private volatile String lastError = "no answer yet";

    public KafkaProbe(final Map<String, Object> kafka, final Duration every, final Clock clock) {
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) every.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) every.toMillis());
        this.admin = Admin.create(props);
        this.bootstrapServers = String.valueOf(kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.every = every;
        this.clock = clock;
        this.lastAnswer = clock.instant();
    }

    /** Starts asking. */
    public KafkaProbe start() {
        lastAnswer = clock.instant();
        scheduler.scheduleWithFixedDelay(this::ask, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Zero while Kafka answers; else how long since it last did (or since the start). */
    public Duration unreachableFor() {
        return lastError == null ? Duration.ZERO : Duration.between(lastAnswer, clock.instant());
    }

    /** Why a service counts as down, when Kafka has not answered for longer than {@code bound}; else empty. */
    public Optional<String> silentLongerThan(final Duration bound) {
        final Duration unreachable = unreachableFor();
        return unreachable.compareTo(bound) > 0
                ? Optional.of("Kafka has not answered for " + unreachable.toSeconds() + " s (" + lastError + ")")
                : Optional.empty();
    }

    /**
     * Asks once, now, waiting at most the probe's interval; returns why Kafka did not answer, or empty when it did.
     * Commands that talk to Kafka once ask this way before they start.
     */
    public Optional<String> askNow() {
        ask();
        return Optional.ofNullable(lastError);
    }

    private void ask() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) every.toMillis())).clusterId()
                    .get(every.toMillis(), TimeUnit.MILLISECONDS);
            lastAnswer = clock.instant();
            lastError = null;
        } catch (final ExecutionException | TimeoutException e) {
            lastError = KafkaSilence.explain(e, bootstrapServers);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ZERO);
    }
}
