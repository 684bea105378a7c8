package io.usagepipeline.rating;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.rating.card.RatingConfig;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices tenant months. Its input is keyed by {@code tenantId|month}, so each tenant's month lives in one task. A
 * MONTH record updates the month's state and marks it pending; every {@link #RATE_EVERY} the months that have had no
 * new record for the settling time ({@link RatingRun#LIVE_SETTLE} live) are rated and their changed lines published.
 * Rating once a month has settled, rather than on every record, lets the records of a month that close together (one
 * per series, from several processor tasks) give one FINAL line each instead of a train of restatements. The pending
 * marks are a store, so a crash loses none.
 *
 * <p>Records close together only while every processor task keeps up. One catching up (after an outage, or over
 * imported history) closes the month of one raw partition while another is days or weeks behind, and a month rated
 * then would publish a FINAL TOTAL without the lagging series, restated once they come. So no month is rated while
 * billing records (DAY records too, which close every day of the backlog) keep coming to this instance without a
 * pause of the settling time; and since a processor may pause within its backlog, the rater reads the DAY records to
 * learn which series have days in each month (every such series gets a MONTH record, DESIGN §4): a month whose MONTH
 * records lack some of them waits for those. Either wait ends {@link RatingRun#maxWait()} after the month's last
 * record; then it is rated as it is, with a WARN saying what it waited for.
 *
 * <p>On every start the processor prices again each month it holds: a card edited since shows as RESTATED lines with
 * their deltas, and a card left alone publishes nothing (a line is only published when something on it changed).
 *
 * <p>A month's lines of Veeam's report wait and settle the same way, and each rating round reconciles the month
 * with them ({@link Reconciler}), so a month closing and its report arriving give one reconciliation line each.
 *
 * <p>Forwards {@link ChargeLine}s, {@link Reconciliation}s and {@link Alert}s (UNPRICED: one when a line loses its
 * price or is first rated without one, one RESOLVED when it gets one).
 */
final class RatingProcessor implements Processor<String, Object, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RatingProcessor.class);

    /** How often pending months are looked at (wall-clock). */
    static final Duration RATE_EVERY = Duration.ofSeconds(1);
    /** Per {@code tenantId|month}: its records and what was published ({@link TenantMonth}). */
    static final String MONTHS_STORE = "rating-months-store";
    /** How {@link #MONTHS_STORE} and its changelog hold a tenant's month. */
    static final Serde<TenantMonth> MONTHS_SERDE = JsonSerde.exact(TenantMonth.class);
    /** The {@code tenantId|month} keys with records not yet rated. */
    static final String PENDING_STORE = "rating-pending-store";
    /** Per {@code month|sourceId}: the latest poll of that source's report of the month ({@link ReportPolled}). */
    static final String REPORTS_STORE = "rating-reports-store";

    private final MonthRater rater;
    private final Reconciler reconciler;
    private final RaterMetrics metrics;
    private final Duration settle;
    private final Duration maxWait;
    /** When this instance last read a billing record (wall-clock), shared by its tasks: a backlog is still flowing. */
    private final AtomicLong lastBillingRecord;
    private final BooleanSupplier inputRead;
    private final PricingLog pricingLog;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, TenantMonth> months;
    private KeyValueStore<String, Long> pending;
    private KeyValueStore<String, ReportPolled> reports;
    /** The months held at start, priced again by the first rating round (the card may have changed). */
    private final Set<String> heldAtStart = new TreeSet<>();
    /** How many months this task counts in the pending gauge. */
    private long counted;

    /**
     * @param settle     how long a month must have had no new record before it is rated (wall-clock)
     * @param maxWait    how long after its last record a settled month waits for the rest (wall-clock)
     * @param lastBillingRecord when the instance last read a billing record, shared by its tasks
     * @param inputRead  whether the records to price are all read: nothing is rated before
     * @param pricingLog what the instance's tasks priced, for the console
     */
    RatingProcessor(final RatingConfig config, final RaterMetrics metrics, final Duration settle,
                    final Duration maxWait, final AtomicLong lastBillingRecord, final BooleanSupplier inputRead,
                    final PricingLog pricingLog) {
        this.rater = new MonthRater(config);
        this.reconciler = new Reconciler(config);
        this.metrics = metrics;
        this.settle = settle;
        this.maxWait = maxWait;
        this.lastBillingRecord = lastBillingRecord;
        this.inputRead = inputRead;
        this.pricingLog = pricingLog;
    }

    /** The supplier, which owns the processor's stores. */
    static ProcessorSupplier<String, Object, String, Object> supplier(final RatingConfig config,
                                                                          final RaterMetrics metrics,
                                                                          final RatingRun run) {
        final AtomicLong lastBillingRecord = new AtomicLong();
        final PricingLog pricingLog = new PricingLog();
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Object, String, Object> get() {
                return new RatingProcessor(config, metrics, run.settle(), run.maxWait(), lastBillingRecord,
                        run.inputRead(), pricingLog);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MONTHS_STORE), Serdes.String(),
                                MONTHS_SERDE),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(),
                                Serdes.Long()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REPORTS_STORE), Serdes.String(),
                                ReportPolled.SERDE));
            }
        };
    }

    /** The key the rater's input is repartitioned by: the tenant and the month of the record in its billing zone. */
    static String tenantMonthOf(final PeriodRecord record) {
        return Keys.tenantMonth(record.tenantId(), monthOf(record).toString());
    }

    static YearMonth monthOf(final PeriodRecord record) {
        return YearMonth.from(record.periodStart().atZone(ZoneId.of(record.zone())));
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        this.months = context.getStateStore(MONTHS_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.reports = context.getStateStore(REPORTS_STORE);
        try (KeyValueIterator<String, TenantMonth> held = months.all()) {
            held.forEachRemaining(entry -> heldAtStart.add(entry.key));
        }
        count(heldAtStart.size());
        context.schedule(RATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::ratePending);
    }

    @Override
    public void process(final Record<String, Object> record) {
        if (record.value() instanceof PeriodRecord) {
            lastBillingRecord.accumulateAndGet(context.currentSystemTimeMs(), Math::max);
        }
        if (record.value() instanceof PeriodRecord day && day.granularity() == Granularity.DAY) {
            seriesWithDays(record.key(), day);
            return;
        }
        if (record.value() instanceof ReportPolled polled) {
            reportPolled(polled);
            return;
        }
        final TenantMonth month;
        if (record.value() instanceof PeriodRecord value) {
            metrics.record();
            month = Optional.ofNullable(months.get(record.key()))
                    .orElseGet(() -> TenantMonth.empty(value.tenantId(), monthOf(value)));
            if (!month.accepts(value)) {
                return; // a revision already held, delivered again
            }
            month.records().put(value.seriesKey(), value);
        } else if (record.value() instanceof VendorReportLine line) {
            month = Optional.ofNullable(months.get(record.key()))
                    .orElseGet(() -> TenantMonth.empty(line.tenantId(), YearMonth.parse(line.month())));
            if (!month.accepts(line)) {
                return; // a poll already held, delivered again
            }
            month.reportLines().put(Reconciler.lineKey(line.sourceId(), line.licenseType()), line);
        } else {
            return;
        }
        months.put(record.key(), month);
        markPending(record.key());
    }

    private void markPending(final String key) {
        if (pending.get(key) == null && !heldAtStart.contains(key)) {
            count(1);
        }
        pending.put(key, context.currentSystemTimeMs());
    }

    /**
     * Keeps the latest poll of a source's report of a month. The first poll, and one that changes the report's status,
     * marks every month of this task's tenants that has records from that source pending: the report may list no line
     * for the tenant, whose month then learns it only from here. Later polls of the same report change nothing for a
     * tenant it does not list; its other lines come to their own months.
     */
    private void reportPolled(final ReportPolled polled) {
        final ReportPolled held = reports.get(polled.storeKey());
        if (!polled.laterThan(held)) {
            return; // another line of a poll already held
        }
        reports.put(polled.storeKey(), polled);
        if (held != null && held.reportStatus() == polled.reportStatus()) {
            return;
        }
        final String monthSuffix = Keys.SEPARATOR + polled.month();
        final List<String> affected = new ArrayList<>();
        try (KeyValueIterator<String, TenantMonth> all = months.all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.endsWith(monthSuffix) && entry.value.records().values().stream()
                        .anyMatch(series -> series.sourceId().equals(polled.sourceId()))) {
                    affected.add(entry.key);
                }
            });
        }
        affected.forEach(this::markPending);
    }

    /** Notes that a series has a day in the month: a month is whole once each such series has its MONTH record. */
    private void seriesWithDays(final String key, final PeriodRecord day) {
        final TenantMonth month = Optional.ofNullable(months.get(key))
                .orElseGet(() -> TenantMonth.empty(day.tenantId(), monthOf(day)));
        if (month.seriesWithDays().add(day.seriesKey())) {
            months.put(key, month); // a day prices nothing: the month is not marked pending
        }
    }

    private void ratePending(final long now) {
        // every task rates once a second, each at its own phase (a restart's first rounds came 0.95 s apart): two
        // seconds without a line priced is the end of a round
        pricingLog.reportIfQuiet(now, 2 * RATE_EVERY.toMillis()).forEach(LOG::info);
        pricingLog.unpricedDue(now).forEach(LOG::warn);
        if (!inputRead.getAsBoolean()) {
            return;
        }
        final Set<String> due = new TreeSet<>(heldAtStart);
        heldAtStart.clear();
        final boolean billingFlowing = now - lastBillingRecord.get() < settle.toMillis();
        long unsettled = 0;
        try (KeyValueIterator<String, Long> all = pending.all()) {
            while (all.hasNext()) {
                final KeyValue<String, Long> entry = all.next();
                if (due(entry.key, now - entry.value, billingFlowing)) {
                    due.add(entry.key);
                } else {
                    due.remove(entry.key); // a held month too: it waits like the others
                    unsettled++;
                }
            }
        }
        for (final String key : due) {
            rate(key, months.get(key));
            pending.delete(key);
        }
        count(unsettled - counted);
    }

    /**
     * Whether a pending month is rated now: it has had no record for the settling time, billing records have stopped
     * coming, and it has the MONTH record of every series with days in it; or it has waited {@code maxWait} since its
     * last record (then the log says for what).
     */
    private boolean due(final String key, final long sinceLastRecordMs, final boolean billingFlowing) {
        if (sinceLastRecordMs < settle.toMillis()) {
            return false; // still receiving records, after a restart too
        }
        if (maxWait.isZero()) {
            return true; // a bounded run prices what it read
        }
        final boolean waited = sinceLastRecordMs >= maxWait.toMillis();
        if (billingFlowing && !waited) {
            return false; // asked every second of a backlog for every month it holds: no store read then
        }
        final Set<String> open = months.get(key).seriesStillOpen();
        if (open.isEmpty() && !billingFlowing) {
            return true;
        }
        if (!waited) {
            return false;
        }
        if (!open.isEmpty()) {
            LOG.warn("rating {} without the MONTH records of {}, which have days in the month: none came within {} "
                    + "of its last record (is the processor behind on their partition, or gets it no polls?); "
                    + "their charges follow as restatements when they come", key, String.join(", ", open), maxWait);
        } else {
            LOG.warn("rating {} while billing records still come without a pause, {} after its last record (a "
                    + "processor working through a long backlog?); what they change follows as restatements", key,
                    maxWait);
        }
        return true;
    }

    private void count(final long delta) {
        counted += delta;
        metrics.pending(delta);
    }

    @Override
    public void close() {
        count(-counted); // the task moves elsewhere or stops: its months are no longer this instance's to rate
        pricingLog.report().forEach(LOG::info);
        pricingLog.unpricedRest(context.currentSystemTimeMs()).forEach(LOG::warn);
    }

    private void rate(final String key, final TenantMonth month) {
        if (!month.records().isEmpty()) {
            price(month);
        }
        reconcile(month);
        months.put(key, month);
    }

    /** Publishes each reconciliation line that is new or changed since its last revision. */
    private void reconcile(final TenantMonth month) {
        reconciler.reconcile(month.tenantId(), YearMonth.parse(month.month()), month.records().values(),
                month.reportLines().values(), reportsOf(month.month())).forEach((lineKey, line) ->
                Revisions.next(line, month.reconciled().get(lineKey)).ifPresent(next -> {
                    context.forward(new Record<>(next.reconciliationKey(), next, next.asOf().toEpochMilli()));
                    metrics.reconciliation(next.cause());
                    month.reconciled().put(lineKey, next);
                }));
    }

    /** The latest poll of each source's report of a month. */
    private List<ReportPolled> reportsOf(final String month) {
        final List<ReportPolled> polled = new ArrayList<>();
        try (KeyValueIterator<String, ReportPolled> all = reports.prefixScan(ReportPolled.monthPrefix(month),
                new StringSerializer())) {
            all.forEachRemaining(entry -> polled.add(entry.value));
        }
        return polled;
    }

    private void price(final TenantMonth month) {
        final Map<String, ChargeLine> previous = new HashMap<>(month.published());
        final List<MonthRater.Rated> rated = rater.rate(month.tenantId(), YearMonth.parse(month.month()),
                month.records().values());
        final List<ChargeLine> withdrawn = new ArrayList<>();
        previous.keySet().stream().filter(line -> rated.stream().noneMatch(r -> r.line().line().equals(line)))
                .forEach(line -> withdrawn.add(Revisions.withdrawn(previous.get(line))));
        final List<MonthRater.Rated> all = new ArrayList<>();
        withdrawn.forEach(line -> all.add(new MonthRater.Rated(line, null)));
        all.addAll(rated); // TOTAL stays last
        for (final MonthRater.Rated line : all) {
            final ChargeLine before = previous.get(line.line().line());
            Revisions.next(line.line(), before).ifPresent(next -> {
                publish(next);
                alertOnPriceChange(next, before, line.unpricedReason());
                month.published().put(next.line(), next);
            });
        }
    }

    private void publish(final ChargeLine line) {
        context.forward(new Record<>(line.chargeKey(), line, line.asOf().toEpochMilli()));
        metrics.charge(line.status(), line.priced());
        pricingLog.priced(line, context.currentSystemTimeMs());
    }

    /** UNPRICED starts when a license-type line is published without a price after none or one with a price. */
    private void alertOnPriceChange(final ChargeLine line, final ChargeLine before, final String unpricedReason) {
        if (line.line().equals(ChargeLine.TOTAL)) {
            return;
        }
        final String subject = line.chargeKey();
        final boolean wasPriced = before == null || before.priced();
        if (!line.priced() && wasPriced) {
            pricingLog.unpriced(subject, unpricedReason, context.currentSystemTimeMs()).forEach(LOG::warn);
            final Alert alert = Alert.started(AlertKind.UNPRICED, subject, line.tenantId(), line.asOf(),
                    unpricedReason + "; the line is published with amount 0 until a card line prices it");
            context.forward(new Record<>(alert.alertKey(), alert, line.asOf().toEpochMilli()));
        } else if (line.priced() && !wasPriced) {
            final Alert alert = Alert.started(AlertKind.UNPRICED, subject, line.tenantId(), before.asOf(), null)
                    .resolved(line.asOf(), "priced by card '" + line.cardId() + "' version " + line.cardVersion());
            context.forward(new Record<>(alert.alertKey(), alert, line.asOf().toEpochMilli()));
        }
    }
}
