package io.usagepipeline.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** What the sink counts, for {@code /metrics}. */
public final class SinkMetrics {

    private final MeterRegistry registry;
    private final AtomicLong lastCommitMs = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();

    public SinkMetrics(final MeterRegistry registry, final Clock clock) {
        this.registry = registry;
        Gauge.builder("usage.sink.last.commit.age.seconds", lastCommitMs,
                        last -> last.get() == 0 ? -1 : (clock.millis() - last.get()) / 1000.0)
                .description("Seconds since the last batch was committed (-1 before the first)").register(registry);
        Gauge.builder("usage.sink.lag.records", lag, AtomicLong::get)
                .description("Records behind the end of the billing and totals topics").register(registry);
    }

    void written(final String writer, final int records) {
        Counter.builder("usage.sink.records.written").tag("writer", writer)
                .description("Records made durable by each output, those it held already left out")
                .register(registry).increment(records);
    }

    void held(final String writer, final int records) {
        Counter.builder("usage.sink.records.held").tag("writer", writer)
                .description("Revisions published again that an output held already: not written twice")
                .register(registry).increment(records);
    }

    void conflict(final String writer) {
        Counter.builder("usage.sink.revision.conflicts").tag("writer", writer)
                .description("Records of a revision an output holds with other content: kept out, and logged")
                .register(registry).increment();
    }

    void committed(final long atMillis) {
        lastCommitMs.set(atMillis);
    }

    void lag(final long records) {
        lag.set(records);
    }
}
