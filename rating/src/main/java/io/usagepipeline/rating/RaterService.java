package io.usagepipeline.rating;

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
 * The rater as a service, with the processor's rules of health: down once Kafka has not answered for the health
 * bound or the rater has not been RUNNING for the stall bound, and ended (exit 1) on an error or once Kafka has not
 * answered for {@code giveUpAfter}.
 */
public final class RaterService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(RaterService.class);

    private final Rater rater;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Duration giveUpAfter;
    private final MeterRegistry registry;
    private final Clock clock;
    private KafkaStreamsMetrics streamsMetrics;

    public RaterService(final Rater rater, final KafkaProbe kafka, final HealthBounds bounds,
                        final Duration giveUpAfter, final MeterRegistry registry, final Clock clock) {
        this.rater = rater;
        this.kafka = kafka;
        this.bounds = bounds;
        this.giveUpAfter = giveUpAfter;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "rater";
    }

    @Override
    public void start() {
        streamsMetrics = new KafkaStreamsMetrics(rater.streams());
        streamsMetrics.bindTo(registry);
        kafka.start();
        rater.start();
    }

    @Override
    public Health health() {
        final KafkaStreams.State state = rater.state();
        if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
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
        final Duration since = Duration.between(rater.stateSince(), clock.instant());
        if (since.compareTo(bounds.stalled()) > 0) {
            return Health.down(state.name(), state + " for " + since.toSeconds() + " s");
        }
        return Health.starting(state.name(), "joining its group and restoring its state");
    }

    @Override
    public OptionalInt ended() {
        final KafkaStreams.State state = rater.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || kafka.unreachableFor().compareTo(giveUpAfter) > 0) {
            return OptionalInt.of(ExitCodes.FAILED);
        }
        return OptionalInt.empty();
    }

    @Override
    public void stop(final Duration timeout) {
        LOG.info("stopping the rater (at most {})", timeout);
        try {
            if (!rater.close(timeout)) {
                LOG.warn("the rater did not stop within {}; uncommitted work is redone on restart", timeout);
            }
        } finally {
            kafka.close();
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
        }
    }
}
