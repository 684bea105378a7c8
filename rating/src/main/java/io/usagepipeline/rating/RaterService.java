package io.usagepipeline.rating;

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
 * The rater as a service, with the processor's rules of health: down once Kafka has not answered for the health
 * bound or the rater has not been RUNNING for the stall bound, and ended (exit 1) on an error or once Kafka has not
 * answered for {@code giveUpAfter}. A source topic missing from Kafka's metadata (often a broker restarting) makes it
 * start a new rater from the same state, at most once per {@link #RETRY_PAUSE}, until the topic has been missing for
 * {@code giveUpAfter}.
 */
public final class RaterService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(RaterService.class);

    static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
    private static final String MISSING_TOPIC = "a source topic went missing from Kafka's metadata";

    private final Supplier<Rater> raters;
    private final PassingFault missingTopic;
    private volatile Rater rater;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Duration giveUpAfter;
    private final MeterRegistry registry;
    private final Clock clock;
    private KafkaStreamsMetrics streamsMetrics;

    /** @param raters makes the rater: once at start, and again after a source topic went missing */
    public RaterService(final Supplier<Rater> raters, final KafkaProbe kafka, final HealthBounds bounds,
                        final Duration giveUpAfter, final MeterRegistry registry, final Clock clock) {
        this.raters = raters;
        this.missingTopic = new PassingFault("rater", MISSING_TOPIC, RETRY_PAUSE, giveUpAfter, clock);
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
    public synchronized void start() {
        kafka.start();
        begin(raters.get());
    }

    private void begin(final Rater next) {
        rater = next;
        streamsMetrics = new KafkaStreamsMetrics(next.streams());
        streamsMetrics.bindTo(registry);
        next.start();
    }

    @Override
    public Health health() {
        final Rater rater = this.rater;
        final KafkaStreams.State state = rater.state();
        final Optional<String> missing = missingTopic.reason();
        if (rater.missedSourceTopic() || missing.isPresent() && state != KafkaStreams.State.RUNNING) {
            // the topic may be back already: that shows only once a new rater has joined its group
            return Health.down(state.name(), missing.orElse(MISSING_TOPIC));
        }
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

    /** The billing records and report lines its stream threads have yet to read (the repartition topic's too). */
    @Override
    public OptionalLong backlog() {
        return ConsumerLag.ofStreams(rater.streams().metrics());
    }

    /** Also where the runner's regular check starts a new rater after a source topic went missing. */
    @Override
    public synchronized OptionalInt ended() {
        final KafkaStreams.State state = rater.state();
        if (rater.missedSourceTopic()) {
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

    /** Replaces the stopped rater by a new one, which resumes from the last commit. */
    private void startAgain() {
        rater.close(RETRY_PAUSE);
        streamsMetrics.close();
        begin(raters.get());
    }

    @Override
    public synchronized void stop(final Duration timeout) {
        LOG.info("stopping the rater (at most {})", timeout);
        try {
            if (rater != null && !rater.closeAndLeaveGroup(timeout)) {
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
