package io.usagepipeline.processor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.Service;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor as a service. Its health tells the truth about what Kafka Streams hides: a client that cannot reach
 * Kafka retries forever in state REBALANCING, so the processor counts as down once Kafka has not answered for the
 * health bound, or once it has not been RUNNING for the stall bound; and it gives up (exit 1) once Kafka has not
 * answered for {@code giveUpAfter}, so that an orchestrator restarts it or a person hears of it.
 */
public final class ProcessorService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorService.class);

    private final UsageProcessor processor;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final MeterRegistry registry;
    private KafkaStreamsMetrics streamsMetrics;

    /**
     * @param kafka       asks Kafka whether it answers; started and closed by this service
     * @param giveUpAfter how long Kafka may not answer before the processor stops with exit code 1
     */
    public ProcessorService(final UsageProcessor processor, final KafkaProbe kafka, final HealthBounds bounds,
                            final Duration giveUpAfter, final MeterRegistry registry, final Clock clock) {
        this.processor = processor;
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
    public void start() {
        streamsMetrics = new KafkaStreamsMetrics(processor.streams());
        streamsMetrics.bindTo(registry);
        kafka.start();
        processor.start();
    }

    @Override
    public Health health() {
        final KafkaStreams.State state = processor.state();
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

    @Override
    public OptionalInt ended() {
        final KafkaStreams.State state = processor.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || kafka.unreachableFor().compareTo(giveUpAfter) > 0) {
            return OptionalInt.of(ExitCodes.FAILED);
        }
        return OptionalInt.empty();
    }

    @Override
    public void stop(final Duration timeout) {
        LOG.info("stopping the processor (at most {})", timeout);
        try {
            if (processor.close(timeout)) {
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
