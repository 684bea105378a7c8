package io.usagepipeline.sink;

import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.Service;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink as a service: its loop on a thread of its own. It is down when Kafka has not answered for the health
 * bound, or when no batch has finished for the stall bound (a database or disk that blocks); when a write fails it
 * ends with exit code 1 (it resumes exactly where it stopped when started again).
 */
public final class SinkService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);

    private final BillingSink sink;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Clock clock;
    private final Thread thread;
    private volatile Instant lastBatch;
    private volatile Throwable failure;
    private volatile boolean stopping;

    public SinkService(final BillingSink sink, final KafkaProbe kafka, final HealthBounds bounds, final Clock clock) {
        this.sink = sink;
        this.kafka = kafka;
        this.bounds = bounds;
        this.clock = clock;
        this.thread = new Thread(this::loop, "sink");
    }

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public OptionalLong backlog() {
        return sink.backlog();
    }

    /** Checks the outputs against the Kafka history (a stale output refuses here) and starts the loop. */
    @Override
    public void start() throws Exception {
        kafka.start();
        sink.start();
        lastBatch = clock.instant();
        thread.start();
    }

    private void loop() {
        try {
            while (!stopping) {
                sink.pollOnce();
                lastBatch = clock.instant();
            }
        } catch (final WakeupException e) {
            // stop() woke the consumer up
        } catch (final Exception | Error e) {
            failure = e;
            LOG.error("the sink stopped: {}; it resumes exactly where it stopped when started again", e.toString(), e);
        }
    }

    @Override
    public Health health() {
        if (failure != null) {
            return Health.down("FAILED", failure.toString());
        }
        final Optional<String> silent = kafka.silentLongerThan(bounds.unreachable());
        if (silent.isPresent()) {
            return Health.down("RUNNING", silent.get());
        }
        final Duration sinceBatch = Duration.between(lastBatch, clock.instant());
        if (sinceBatch.compareTo(bounds.stalled()) > 0) {
            return Health.down("STALLED", "no batch finished for " + sinceBatch.toSeconds() + " s");
        }
        return Health.ready("RUNNING");
    }

    @Override
    public OptionalInt ended() {
        return failure == null ? OptionalInt.empty() : OptionalInt.of(ExitCodes.FAILED);
    }

    @Override
    public void stop(final Duration timeout) throws InterruptedException {
        stopping = true;
        sink.stop();
        thread.join(timeout.toMillis());
        try {
            sink.close();
        } finally {
            kafka.close();
        }
    }
}
