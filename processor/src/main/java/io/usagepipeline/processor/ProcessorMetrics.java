package io.usagepipeline.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.DlqReason;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RecordStatus;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the processor counts, for {@code /metrics}: records in and out, the DLQ, and how far behind it runs. */
public final class ProcessorMetrics {

    private final Map<PollStatus, Counter> rawPolls = new EnumMap<>(PollStatus.class);
    private final Counter duplicates;
    private final Counter observations;
    private final Counter reportLines;
    private final Counter openTotals;
    private final Map<RecordStatus, Counter> billingRecords = new EnumMap<>(RecordStatus.class);
    private final Map<DlqReason, Counter> dlq = new EnumMap<>(DlqReason.class);
    private final AtomicLong streamTimeMs = new AtomicLong();
    private final Map<AlertKind, Counter> alerts = new EnumMap<>(AlertKind.class);

    public ProcessorMetrics(final MeterRegistry registry, final Clock clock) {
        for (final PollStatus status : PollStatus.values()) {
            rawPolls.put(status, Counter.builder("usage.processor.raw.polls").tag("status", status.name())
                    .description("Raw polls read").register(registry));
        }
        duplicates = Counter.builder("usage.processor.duplicate.polls")
                .description("Polls dropped because their pollId was already processed").register(registry);
        observations = Counter.builder("usage.processor.observations").description("Observations published")
                .register(registry);
        reportLines = Counter.builder("usage.processor.report.lines")
                .description("Lines of Veeam's license reports published").register(registry);
        openTotals = Counter.builder("usage.processor.open.totals").description("Rolling totals published")
                .register(registry);
        for (final RecordStatus status : new RecordStatus[] {RecordStatus.FINAL, RecordStatus.RESTATED}) {
            billingRecords.put(status, Counter.builder("usage.processor.billing.records").tag("status", status.name())
                    .description("Billing records published").register(registry));
        }
        for (final DlqReason reason : DlqReason.values()) {
            dlq.put(reason, Counter.builder("usage.processor.dlq").tag("reason", reason.name())
                    .description("Records sent to the dead-letter topic").register(registry));
        }
        for (final AlertKind kind : new AlertKind[] {AlertKind.TARGET_FAILING, AlertKind.DROPPED_TO_ZERO,
                AlertKind.SPIKE}) {
            alerts.put(kind, Counter.builder("usage.processor.alerts").tag("kind", kind.name())
                    .description("Alerts published, starts and ends of episodes").register(registry));
        }
        Gauge.builder("usage.processor.stream.time.lag.seconds", streamTimeMs,
                        time -> time.get() == 0 ? 0 : (clock.millis() - time.get()) / 1000.0)
                .description("Wall clock minus the newest poll time processed").register(registry);
    }

    /** An alert of the processor's rules was published. */
    void alert(final AlertKind kind) {
        alerts.get(kind).increment();
    }

    /** Raw polls read so far, COMPLETE and FAILED: a replay knows from it that it has read its window. */
    public long rawPollsRead() {
        return rawPolls.values().stream().mapToLong(counter -> (long) counter.count()).sum();
    }

    void rawPoll(final PollStatus status) {
        rawPolls.get(status).increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void reportLines(final int lines) {
        reportLines.increment(lines);
    }

    void observation() {
        observations.increment();
    }

    void openTotal() {
        openTotals.increment();
    }

    void billingRecord(final RecordStatus status) {
        billingRecords.get(status).increment();
    }

    void dlq(final DlqReason reason) {
        dlq.get(reason).increment();
    }

    void streamTime(final long millis) {
        streamTimeMs.accumulateAndGet(millis, Math::max);
    }
}
