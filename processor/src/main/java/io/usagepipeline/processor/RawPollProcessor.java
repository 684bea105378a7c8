package io.usagepipeline.processor;

import io.usagepipeline.events.DlqReason;
import io.usagepipeline.events.DlqRecord;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.processor.alerts.TargetPolled;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.Topics;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.processor.billing.BillingOutput;
import io.usagepipeline.processor.billing.PeriodAggregator;
import io.usagepipeline.processor.normalize.ImplausibleFigureException;
import io.usagepipeline.processor.normalize.MalformedPayloadException;
import io.usagepipeline.processor.normalize.Normalizer;
import io.usagepipeline.processor.normalize.ReportReader;
import io.usagepipeline.processor.state.StoreOptions;
import io.usagepipeline.runtime.BurstLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one processing step of the topology, per raw poll: decode, drop duplicates, normalize, diff against the
 * target's previous snapshot, aggregate into periods, close what is due. Bad input goes to the DLQ with a reason and
 * processing goes on; a FAILED poll emits nothing (the level becomes a gap after maxGap).
 */
final class RawPollProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RawPollProcessor.class);
    /**
     * Pruning only bounds state (what it forgets, no accepted poll can reach), and it reads and decodes every series
     * and closed period of the task. Once per stream-time week keeps the state within a week of the horizon; pruning
     * daily was 13% of a replay's stream thread (JFR), almost all of it decoding closed periods, and weekly pruning
     * replays a bench of 30 days about 15% faster with one thread, 30% with two (bench, side by side).
     */
    private static final Duration PRUNE_INTERVAL = Duration.ofDays(7);
    /** The most of a bad record's value a DLQ record carries: 256 KiB, at most 1.5 MiB once escaped as JSON. */
    static final int MAX_DLQ_PAYLOAD = 256 * 1024;

    private final ProcessorConfig config;
    private final ProcessorMetrics metrics;
    private final Normalizer normalizer;
    private final ReportReader reportReader;
    /** The console hears of the first record of each DLQ reason, then of how many followed, once a minute. */
    private final BurstLog<DlqReason> dlqLog = new BurstLog<>("records went to the DLQ", "reason");
    private final boolean perPollOutputs;
    private final boolean alerts;
    private final StoreOptions stores;
    /** Whether this task's stores have been written to since it was opened, as {@link StoreOptions} needs to know. */
    private boolean wroteState;
    private ProcessorContext<String, Object> context;
    private SeenPolls seenPolls;
    private SnapshotDiff diff;
    private PeriodAggregator aggregator;

    /** The supplier, which owns the processor's stores. */
    static ProcessorSupplier<String, byte[], String, Object> supplier(final ProcessorConfig config,
                                                                     final ProcessorMetrics metrics,
                                                                     final Profile profile,
                                                                     final boolean alerts,
                                                                     final StoreOptions stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, byte[], String, Object> get() {
                return new RawPollProcessor(config, metrics, profile.perPollOutputs(), alerts, stores);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return ProcessorStores.builders(config, stores);
            }
        };
    }

    /**
     * @param perPollOutputs publish each poll's observations and OPEN totals (live), or billing records only
     * @param alerts         tell the alert rules, the node after this one, what each poll showed (none in a
     *                       recomputation: see {@link Run})
     * @param stores         how this run's stores are built; told when a task is opened and first written
     */
    RawPollProcessor(final ProcessorConfig config, final ProcessorMetrics metrics, final boolean perPollOutputs,
                     final boolean alerts, final StoreOptions stores) {
        this.config = config;
        this.metrics = metrics;
        this.perPollOutputs = perPollOutputs;
        this.alerts = alerts;
        this.stores = stores;
        this.normalizer = new Normalizer(config.tenants(), config.maxUnits());
        this.reportReader = new ReportReader(config.tenants());
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        this.seenPolls = ProcessorStores.seenPolls(context, stores, config.timeRules());
        stores.opened(context.taskId(), () -> ProcessorStores.empty(context, stores));
        wroteState = false;
        this.diff = new SnapshotDiff(ProcessorStores.targets(context), config.timeRules().removedSeriesMemory());
        this.aggregator = new PeriodAggregator(config, ProcessorStores.series(context, config),
                ProcessorStores.history(context, stores), ProcessorStores.periods(context), new Forwarder(),
                perPollOutputs);
        context.schedule(PRUNE_INTERVAL, PunctuationType.STREAM_TIME,
                timestamp -> aggregator.prune(Instant.ofEpochMilli(timestamp)));
        context.schedule(BurstLog.EVERY, PunctuationType.WALL_CLOCK_TIME,
                now -> dlqLog.due(now).forEach(LOG::warn));
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final Instant streamTime = Instant.ofEpochMilli(context.currentStreamTimeMs());
        final RawPoll poll;
        try {
            poll = Topics.RAW.valueSerde().deserializer().deserialize(topic(), record.value());
        } catch (final SerializationException e) {
            toDlq(record, DlqReason.MALFORMED_RECORD, e.getMessage());
            return;
        }
        if (poll == null) {
            return; // a tombstone on the raw topic carries no poll
        }
        metrics.rawPoll(poll.status());
        metrics.streamTime(streamTime.toEpochMilli());
        final Instant clock = Instant.ofEpochMilli(context.currentSystemTimeMs());
        final Instant stamped = Instant.ofEpochMilli(Math.max(poll.polledAt().toEpochMilli(), record.timestamp()));
        if (stamped.isAfter(clock.plus(config.maxAhead()))) {
            // the timestamp extractor kept stream time where it was; this poll must not move it later either
            toDlq(record, DlqReason.AHEAD_OF_CLOCK, "stamped " + stamped + ", more than " + config.maxAhead()
                    + " ahead of this processor's clock (" + clock + "): check the clock of the collector's host");
            return;
        }
        if (config.timeRules().late(poll.polledAt(), streamTime)) {
            toDlq(record, DlqReason.LATE_BEYOND_HORIZON, "polled at " + poll.polledAt() + ", more than "
                    + config.horizon() + " before stream time " + streamTime + ": nothing it belongs to can change");
        } else if (poll.status() == PollStatus.COMPLETE) {
            processComplete(record, poll, streamTime);
        } else if (poll.endpoint() != Endpoint.LICENSE_REPORT) {
            // a report is polled only until it is approved: its target going quiet is no failure to alert on
            toAlertRules(record, new TargetPolled(poll.pollTarget(), poll.tenantId(), PollStatus.FAILED,
                    poll.polledAt()));
        }
        aggregator.closeDue(streamTime);
    }

    private void processComplete(final Record<String, byte[]> record, final RawPoll poll, final Instant streamTime) {
        final long slot = poll.slotStart().toEpochMilli();
        if (seenPolls.seen(poll, slot)) {
            LOG.debug("dropping duplicate poll {} of {}", poll.pollId(), poll.pollTarget());
            metrics.duplicate();
            return;
        }
        if (poll.endpoint() == Endpoint.LICENSE_REPORT) {
            processReport(record, poll);
            return;
        }
        final List<Observation> observations;
        try {
            observations = new ArrayList<>(normalizer.normalize(poll));
        } catch (final MalformedPayloadException e) {
            toDlq(record, e instanceof ImplausibleFigureException ? DlqReason.IMPLAUSIBLE_FIGURE
                    : DlqReason.MALFORMED_PAYLOAD, poll.pollTarget() + ": " + e.getMessage());
            // an answer that cannot be billed is no answer: to the alert rules, the target failed
            toAlertRules(record, new TargetPolled(poll.pollTarget(), poll.tenantId(), PollStatus.FAILED,
                    poll.polledAt()));
            return;
        }
        observations.addAll(diff.absentFrom(poll, observations));
        remember(poll, slot);
        for (final Observation observation : observations) {
            if (perPollOutputs) {
                context.forward(new Record<>(observation.seriesKey(), observation, record.timestamp()),
                        UsageTopology.OBSERVATIONS_SINK);
                metrics.observation();
            }
            toAlertRules(record, observation);
            aggregator.accept(observation, streamTime);
        }
        toAlertRules(record, new TargetPolled(poll.pollTarget(), poll.tenantId(), PollStatus.COMPLETE,
                poll.polledAt()));
    }

    /** Veeam's monthly report: one line per organization and workload type to {@code usage.reports.v1}. */
    private void processReport(final Record<String, byte[]> record, final RawPoll poll) {
        final List<VendorReportLine> lines;
        try {
            lines = reportReader.read(poll);
        } catch (final MalformedPayloadException e) {
            toDlq(record, e instanceof ImplausibleFigureException ? DlqReason.IMPLAUSIBLE_FIGURE
                    : DlqReason.MALFORMED_PAYLOAD, poll.pollTarget() + ": " + e.getMessage());
            return;
        }
        remember(poll, poll.slotStart().toEpochMilli());
        for (final VendorReportLine line : lines) {
            context.forward(new Record<>(line.reportKey(), line, record.timestamp()), UsageTopology.REPORTS_SINK);
        }
        metrics.reportLines(lines.size());
    }

    /** Remembers a processed poll's pollId, so that a second copy is dropped: the first state a task writes. */
    private void remember(final RawPoll poll, final long slot) {
        seenPolls.remember(poll, slot);
        if (!wroteState) {
            wroteState = true;
            stores.wroteState(context.taskId());
        }
    }

    /** The count of the DLQ records not told yet goes to the log before the task goes. */
    @Override
    public void close() {
        if (context != null) {
            dlqLog.rest(context.currentSystemTimeMs()).forEach(LOG::warn);
        }
    }

    /** Tells the alert rules, the node after this one, what a poll showed; a recomputation has none. */
    private void toAlertRules(final Record<String, byte[]> record, final Object event) {
        if (!alerts) {
            return;
        }
        context.forward(new Record<>(record.key(), event, record.timestamp()), UsageTopology.ALERT_RULES);
    }

    /**
     * Publishes a bad record to the DLQ with its reason. A value over {@link #MAX_DLQ_PAYLOAD} bytes is cut (its size
     * and digest go into the detail): escaped as JSON, a raw value of control characters grows sixfold, and a DLQ
     * record over the request limit would stop the instance, the one thing the DLQ exists to prevent.
     */
    private void toDlq(final Record<String, byte[]> record, final DlqReason reason, final String detail) {
        final RecordMetadata metadata = context.recordMetadata().orElseThrow();
        final String where = "at " + metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset() + ": "
                + (detail.length() > 500 ? detail.substring(0, 500) + "..." : detail);
        dlqLog.happened(reason, reason + " " + where, where, context.currentSystemTimeMs()).forEach(LOG::warn);
        metrics.dlq(reason);
        final byte[] value = record.value();
        String payload = value == null ? null : new String(value, StandardCharsets.UTF_8);
        String explained = detail;
        if (value != null && value.length > MAX_DLQ_PAYLOAD) {
            payload = new String(value, 0, MAX_DLQ_PAYLOAD, StandardCharsets.UTF_8);
            explained = detail + " (payload cut to its first " + MAX_DLQ_PAYLOAD + " of " + value.length
                    + " bytes; SHA-256 of the whole value: " + sha256(value) + ")";
        }
        context.forward(new Record<>(record.key(), new DlqRecord(null, reason, explained, metadata.topic(),
                metadata.partition(), metadata.offset(), Instant.ofEpochMilli(record.timestamp()), payload),
                record.timestamp()), UsageTopology.DLQ_SINK);
    }

    private static String sha256(final byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse(config.topicPrefix() + Topics.RAW.baseName());
    }

    /** Sends the aggregator's results to their sinks, stamped with the record being processed. */
    private final class Forwarder implements BillingOutput {
        @Override
        public void openTotal(final String periodKey, final PeriodRecord total) {
            context.forward(new Record<>(periodKey, total, total.asOf().toEpochMilli()),
                    UsageTopology.TOTALS_SINK);
            metrics.openTotal();
        }

        @Override
        public void billingRecord(final PeriodRecord billingRecord) {
            context.forward(new Record<>(billingRecord.periodKey(), billingRecord, context.currentStreamTimeMs()),
                    UsageTopology.BILLING_SINK);
            metrics.billingRecord(billingRecord.status());
        }

        @Override
        public void totalRemoved(final String periodKey) {
            context.forward(new Record<>(periodKey, null, context.currentStreamTimeMs()), UsageTopology.TOTALS_SINK);
        }
    }
}
