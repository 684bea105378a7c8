package io.usagepipeline.collector;

import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.Service;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector as a service: polling on a thread of its own, one slot after another. It is down when Kafka has not
 * answered for the health bound, or when a source has had no COMPLETE poll within two of its intervals (counted
 * from the start until its first); it ends with exit code 1 when a poll could not be published.
 */
public final class CollectorService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorService.class);

    private final Collector collector;
    private final RawPublisher publisher;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Duration interval;
    private final Thread thread;
    private volatile Throwable failure;

    /** @param interval the poll interval of sources without their own */
    public CollectorService(final Collector collector, final RawPublisher publisher, final KafkaProbe kafka,
                            final HealthBounds bounds, final Duration interval) {
        this.collector = collector;
        this.publisher = publisher;
        this.kafka = kafka;
        this.bounds = bounds;
        this.interval = interval;
        this.thread = new Thread(this::loop, "collector");
    }

    @Override
    public String name() {
        return "collector";
    }

    @Override
    public void start() {
        kafka.start();
        thread.start();
    }

    private void loop() {
        try {
            collector.run(interval);
        } catch (final InterruptedException e) {
            publisher.flush(); // what was polled before the stop is published
        } catch (final RuntimeException | Error e) {
            failure = e;
            LOG.error("the collector stopped: {}", e.toString(), e);
        }
    }

    @Override
    public Health health() {
        if (failure != null) {
            return Health.down("FAILED", failure.getMessage());
        }
        final Optional<String> silent = kafka.silentLongerThan(bounds.unreachable());
        if (silent.isPresent()) {
            return Health.down("RUNNING", silent.get());
        }
        final List<String> overdue = collector.overdue(interval);
        if (!overdue.isEmpty()) {
            return Health.down("RUNNING", "sources without a complete poll within two intervals: "
                    + String.join(", ", overdue));
        }
        return Health.ready("RUNNING");
    }

    @Override
    public OptionalInt ended() {
        return failure == null ? OptionalInt.empty() : OptionalInt.of(ExitCodes.FAILED);
    }

    @Override
    public void stop(final Duration timeout) throws InterruptedException {
        thread.interrupt();
        thread.join(timeout.toMillis());
        try {
            collector.close();
            publisher.close();
        } finally {
            kafka.close();
        }
    }
}
