package io.usagepipeline.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** What the collector counts, per source: polls by status, items, poll duration, and the age of the last success. */
public final class CollectorMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public CollectorMetrics(final MeterRegistry registry, final Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void polled(final RawPoll poll, final Duration took) {
        Counter.builder("usage.collector.polls").tag("source", poll.sourceId()).tag("status", poll.status().name())
                .description("Polls published").register(registry).increment();
        Counter.builder("usage.collector.items").tag("source", poll.sourceId())
                .description("Items read by COMPLETE polls").register(registry).increment(poll.itemCount());
        Timer.builder("usage.collector.poll.duration").tag("source", poll.sourceId())
                .description("Time to read one poll target completely").register(registry).record(took);
        if (poll.status() == PollStatus.COMPLETE) {
            lastSuccess(poll.sourceId()).set(clock.millis());
        }
    }

    /**
     * Starts the clock of a source's last success: until its first COMPLETE poll, the age counts from now, so that
     * an alert on a source that never succeeds fires too.
     */
    void expect(final String source) {
        lastSuccess(source);
    }

    /** How long since the source's last COMPLETE poll (or since it was expected, when it has had none). */
    Duration lastSuccessAge(final String source) {
        return Duration.ofMillis(clock.millis() - lastSuccess(source).get());
    }

    private AtomicLong lastSuccess(final String source) {
        return lastSuccess.computeIfAbsent(source, id -> {
            final AtomicLong at = new AtomicLong(clock.millis());
            Gauge.builder("usage.collector.last.success.age.seconds", at,
                            time -> (clock.millis() - time.get()) / 1000.0)
                    .tag("source", id).description("Seconds since the source's last COMPLETE poll (or since the "
                            + "collector started, before its first)")
                    .register(registry);
            return at;
        });
    }

    /** Registers, once per source, the number of retries its requests have needed so far. */
    void watchRetries(final String source, final IntSupplier retries) {
        Gauge.builder("usage.collector.retries", retries::getAsInt).tag("source", source)
                .description("Requests retried after a failure or throttling").register(registry);
    }
}
