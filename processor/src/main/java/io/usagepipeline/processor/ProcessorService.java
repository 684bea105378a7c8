package io.usagepipeline.processor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.usagepipeline.events.ConsumerLag;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.PassingFault;
import io.usagepipeline.runtime.Service;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor as a service. Its health tells the truth about what Kafka Streams hides: a client that cannot reach
 * Kafka retries forever in state REBALANCING, so the processor counts as down once Kafka has not answered for the
 * health bound, or once it has not been RUNNING for the stall bound; and it gives up (exit 1) once Kafka has not
 * answered for {@code giveUpAfter}, so that an orchestrator restarts it or a person hears of it.
 *
 * <p>A source topic missing from Kafka's metadata stops a Kafka Streams client for good, although right after a broker
 * restart it is often only the broker not listing the topic yet. So the service then starts a new processor from the
 * same state (at most once per {@link #RETRY_PAUSE}), and gives up only once the topic has been missing for
 * {@code giveUpAfter}.
 */
public final class ProcessorService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorService.class);
    static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
    private static final String MISSING_TOPIC = "a source topic went missing from Kafka's metadata";

    private final Supplier<UsageProcessor> processors;
    private final PassingFault missingTopic;
    private volatile UsageProcessor processor;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final MeterRegistry registry;
    private KafkaStreamsMetrics streamsMetrics;

    /**
     * @param processors  makes the processor: once at start, and again after a source topic went missing
     * @param kafka       asks Kafka whether it answers; started and closed by this service
     * @param giveUpAfter how long Kafka may not answer, or a source topic may be missing, before the processor stops
     *                    with exit code 1
     */
    public ProcessorService(final Supplier<UsageProcessor> processors, final KafkaProbe kafka,
                            final HealthBounds bounds, final Duration giveUpAfter, final MeterRegistry registry,
                            final Clock clock) {
        this.processors = processors;
        this.missingTopic = new PassingFault("processor", MISSING_TOPIC, RETRY_PAUSE, giveUpAfter, clock);
        this.kafka = kafka;
        this.bounds = bounds;
        this.giveUpAfter = giveUpAfter;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "processor";
    }

    @Override
    public synchronized void start() {
        kafka.start();
        begin(processors.get());
    }

    private void begin(final UsageProcessor next) {
        processor = next;
        streamsMetrics = new KafkaStreamsMetrics(next.streams());
        streamsMetrics.bindTo(registry);
        next.start();
    }

    @Override
    public Health health() {
        final UsageProcessor processor = this.processor;
        final KafkaStreams.State state = processor.state();
        final Optional<String> missing = missingTopic.reason();
        if (processor.missedSourceTopic() || missing.isPresent() && state != KafkaStreams.State.RUNNING) {
            // the topic may be back already: that shows only once a new processor has joined its group
            return Health.down(state.name(), missing.orElse(MISSING_TOPIC));
        }
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
            return Health.down(state.name(), "stopped; the log says why");
        }
        final Optional<String> silent = kafka.silentLongerThan(
                bounds.unreachable().compareTo(giveUpAfter) < 0 ? bounds.unreachable() : giveUpAfter);
        if (silent.isPresent()) {
            return Health.down(state.name(), silent.get());
        }
        if (state == KafkaStreams.State.RUNNING) {
            return Health.ready(state.name());
        }
        final Duration since = Duration.between(processor.stateSince(), clock.instant());
        if (since.compareTo(bounds.stalled()) > 0) {
            return Health.down(state.name(), state + " for " + since.toSeconds() + " s");
        }
        return Health.starting(state.name(), "joining its group and restoring its state");
    }

    /** The raw polls its stream threads have yet to read. */
    @Override
    public OptionalLong backlog() {
        return ConsumerLag.ofStreams(processor.streams().metrics());
    }

    /**
     * Ended on an error, or once Kafka has not answered for {@code giveUpAfter}. A missing source topic does not end
     * it until it has been missing that long: this is where the runner's regular check starts a new processor.
     */
    @Override
    public synchronized OptionalInt ended() {
        final KafkaStreams.State state = processor.state();
        if (processor.missedSourceTopic()) {
            return state == KafkaStreams.State.ERROR ? missingTopic.seen(this::startAgain) : OptionalInt.empty();
        }
        if (state == KafkaStreams.State.RUNNING) {
            missingTopic.passed();
        }
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || kafka.unreachableFor().compareTo(giveUpAfter) > 0) {
            return OptionalInt.of(ExitCodes.FAILED);
        }
        return OptionalInt.empty();
    }

    /** Replaces the stopped processor by a new one, which resumes from the last commit. */
    private void startAgain() {
        processor.close(RETRY_PAUSE);
        processor.leaveGroupIfStatic(RETRY_PAUSE);
        streamsMetrics.close();
        begin(processors.get());
    }

    @Override
    public synchronized void stop(final Duration timeout) {
        LOG.info("stopping the processor (at most {})", timeout);
        try {
            if (processor != null && processor.stop(timeout)) {
                LOG.info("processor stopped cleanly");
            }
        } finally {
            kafka.close();
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
        }
    }
}
