package io.usagepipeline.rating;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.RecordStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the rater counts, for {@code /metrics}: records in, charge lines out, lines no card prices, and reconciliation
 * lines by cause.
 */
public final class RaterMetrics {

    private final Counter records;
    private final Map<RecordStatus, Counter> charges = new EnumMap<>(RecordStatus.class);
    private final Counter unpriced;
    private final MeterRegistry registry;
    private final AtomicLong pendingMonths = new AtomicLong();
    private final AtomicLong reconciliationLines = new AtomicLong();

    public RaterMetrics(final MeterRegistry registry) {
        this.registry = registry;
        records = Counter.builder("usage.rater.billing.records").description("MONTH billing records read")
                .register(registry);
        for (final RecordStatus status : new RecordStatus[] {RecordStatus.FINAL, RecordStatus.RESTATED}) {
            charges.put(status, Counter.builder("usage.rater.charge.lines").tag("status", status.name())
                    .description("Charge lines published").register(registry));
        }
        unpriced = Counter.builder("usage.rater.unpriced.lines")
                .description("Charge-line revisions published without a price: no card line matches the license "
                        + "type (each also raises an UNPRICED alert)")
                .register(registry);
        Gauge.builder("usage.rater.pending.months", pendingMonths, AtomicLong::get)
                .description("Tenant months with records not yet rated (each is rated once it has settled)")
                .register(registry);
    }

    /**
     * Tenant months this instance holds that are waiting to be rated; 0 once every record read has been priced and
     * its lines handed to Kafka (published with the next commit).
     */
    public long pendingMonths() {
        return pendingMonths.get();
    }

    /** Reconciliation revisions this instance has handed to Kafka, whatever their cause. */
    public long reconciliationLines() {
        return reconciliationLines.get();
    }

    void pending(final long delta) {
        pendingMonths.addAndGet(delta);
    }

    void record() {
        records.increment();
    }

    void charge(final RecordStatus status, final boolean priced) {
        charges.get(status).increment();
        if (!priced) {
            unpriced.increment();
        }
    }

    /** A reconciliation line published, by cause: a variance counts until a later revision explains it away. */
    void reconciliation(final ReconciliationCause cause) {
        reconciliationLines.incrementAndGet();
        Counter.builder("usage.rater.reconciliation.lines").tag("cause", cause.name())
                .description("Reconciliation lines published, by cause").register(registry).increment();
    }
}
