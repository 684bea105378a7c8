package io.usagepipeline.sink;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code billing.records.v1}, {@code usage.totals.v1}, {@code billing.charges.v1},
 * {@code billing.reconciliation.v1} and {@code usage.alerts.v1} ({@code read_committed}, so only what the processor's
 * and the rater's transactions committed) and hands batches to each writer from that writer's own durable position.
 * The writers' positions, not Kafka's committed offsets, decide where to resume; offsets are also committed to Kafka,
 * after the writers, only so that lag can be monitored.
 *
 * <p>One sink instance owns an output: it reads every partition itself rather than sharing them through a group.
 */
public final class BillingSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BillingSink.class);
    /** How old the consumer's view of its topics' partitions may grow (Kafka's default: five minutes). */
    private static final Duration METADATA_AGE = Duration.ofSeconds(30);

    /** Called after a writer made a batch durable; tests inject crashes here. */
    @FunctionalInterface
    public interface AfterWrite {
        AfterWrite NOTHING = (writer, records) -> { };

        void written(String writer, List<PositionedRecord> records) throws Exception;
    }

    private final SinkConfig config;
    private final List<BillingWriter> writers;
    private final SinkMetrics metrics;
    private final AfterWrite afterWrite;
    private final Map<String, Object> kafka;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String totalsTopic;
    private final String chargesTopic;
    private final String alertsTopic;
    private final String reconciliationTopic;
    private final List<String> topics;
    private final Map<BillingWriter, Map<TopicPartition, Long>> positions = new HashMap<>();
    /** What {@link #lag()} was after the last batch, for other threads; -1 before the first. */
    private volatile long backlog = -1;
    /** The offsets Kafka confirmed committing, per partition: what the lag others monitor is measured from. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** What was written since the last console line about it. */
    private final SinkLog sinkLog = new SinkLog();

    public BillingSink(final SinkConfig config, final Map<String, Object> kafka, final List<BillingWriter> writers,
                       final SinkMetrics metrics, final AfterWrite afterWrite) {
        if (writers.isEmpty()) {
            throw new IllegalArgumentException("the sink needs at least one output");
        }
        this.config = config;
        this.writers = List.copyOf(writers);
        this.metrics = metrics;
        this.afterWrite = afterWrite;
        this.totalsTopic = Topics.TOTALS.name(config.topicPrefix());
        this.chargesTopic = Topics.CHARGES.name(config.topicPrefix());
        this.alertsTopic = Topics.ALERTS.name(config.topicPrefix());
        this.reconciliationTopic = Topics.RECONCILIATION.name(config.topicPrefix());
        this.topics = List.of(Topics.BILLING_RECORDS.name(config.topicPrefix()), totalsTopic, chargesTopic,
                alertsTopic, reconciliationTopic);
        this.kafka = Map.copyOf(kafka);
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.sinkName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize());
        // the partitions of its topics as Kafka has them within half a minute, where its default is five
        props.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) METADATA_AGE.toMillis());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A sink over the outputs named, opened here (the database's schema is migrated on the way); not started. */
    static BillingSink open(final SinkConfig config, final Map<String, Object> kafka, final SinkOutputs outputs,
                            final SinkMetrics metrics) throws Exception {
        return new BillingSink(config, kafka, outputs.open(config.sinkName(), Topics.TOTALS.name(config.topicPrefix())),
                metrics, AfterWrite.NOTHING);
    }

    /**
     * Checks that every output was written from the Kafka history it is about to read (or resets it first when
     * {@link SinkConfig#resetOutput()}), then assigns every partition and seeks each to the earliest position any
     * writer still needs.
     *
     * @throws StaleOutputException an output holds positions of another cluster, a recreated topic or beyond the log
     */
    public void start() throws Exception {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : topics) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist; run 'usage-pipeline topics "
                        + "create'");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        final SourceIdentity live;
        final Map<TopicPartition, Long> logEnds;
        try (Admin admin = Admin.create(kafka)) {
            live = SourceIdentity.of(admin, topics);
            logEnds = logEnds(admin, partitions);
        }
        for (final BillingWriter writer : writers) {
            if (config.resetOutput()) {
                writer.reset();
                LOG.info("reset {} ({}): rebuilding it from the beginning of the topics", writer.name(),
                        writer.location());
            }
            final Checkpoint checkpoint = writer.checkpoint();
            final Optional<String> mismatch = OutputCheck.mismatch(checkpoint, live, logEnds);
            if (mismatch.isPresent()) {
                throw new StaleOutputException("the " + writer.name() + " output " + writer.location()
                        + " belongs to another Kafka history: " + mismatch.get() + ". Resuming would mix two "
                        + "histories or skip records; give the sink a new output, or start it once with "
                        + "--reset-output to rebuild this one from the topics");
            }
            if (checkpoint.readFrom() == null && !checkpoint.positions().isEmpty()) {
                LOG.info("{} ({}) recorded no Kafka identity yet; its positions are within this cluster's logs, "
                        + "so it is bound to cluster {} from now on", writer.name(), writer.location(),
                        live.clusterId());
            }
            writer.bind(live);
            positions.put(writer, new HashMap<>(checkpoint.positions()));
        }
        consumer.assign(partitions);
        final List<TopicPartition> fromStart = new ArrayList<>();
        for (final TopicPartition partition : partitions) {
            final long earliest = writers.stream()
                    .mapToLong(writer -> positions.get(writer).getOrDefault(partition, 0L)).min().orElse(0);
            if (earliest == 0) {
                fromStart.add(partition);
            } else {
                consumer.seek(partition, earliest);
            }
        }
        consumer.seekToBeginning(fromStart);
        LOG.info("sink '{}' writing to {} from {} partitions of cluster {}", config.sinkName(), outputs(),
                partitions.size(), live.clusterId());
    }

    /** The outputs' names, for the console: "files and PostgreSQL". */
    private String outputs() {
        return writers.stream().map(BillingWriter::name).collect(Collectors.joining(" and "));
    }

    /** The high watermark of each partition: no position read from this log can lie beyond it. */
    private static Map<TopicPartition, Long> logEnds(final Admin admin, final List<TopicPartition> partitions)
            throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Reads one batch (up to the batch size or the batch delay) and writes it; returns how many records it read. */
    public int pollOnce() throws Exception {
        readAddedPartitions();
        final List<PositionedRecord> batch = new ArrayList<>();
        final long deadline = System.nanoTime() + config.maxBatchDelay().toNanos();
        do {
            final long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(remaining))) {
                batch.add(decode(record));
            }
        } while (batch.size() < config.batchSize() && System.nanoTime() < deadline);
        if (!batch.isEmpty()) {
            write(batch);
        } else {
            for (final BillingWriter writer : writers) {
                writer.idle();
            }
            // an empty poll may still have moved past what holds no record for us: an aborted transaction, or a
            // commit marker left over from the poll before; and an earlier commit may have failed
            commitPositions();
        }
        sinkLog.due(Clock.systemUTC().millis()).forEach(LOG::info);
        return batch.size();
    }

    /**
     * Reads, from their start, the partitions added to its topics since it assigned them (partitions an operator
     * added to a topic for another reader): the processor's and the rater's producers send records there once they
     * see them, and a sink that did not would leave those unwritten until a restart. Its positions in them start at
     * 0, as a new output's do. The consumer's cached view of the topics: no request.
     */
    private void readAddedPartitions() {
        final Set<TopicPartition> assigned = consumer.assignment();
        final List<TopicPartition> added = new ArrayList<>();
        for (final String topic : topics) {
            for (final PartitionInfo info : consumer.partitionsFor(topic)) {
                final TopicPartition partition = new TopicPartition(info.topic(), info.partition());
                if (!assigned.contains(partition)) {
                    added.add(partition);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        final Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(added);
        consumer.assign(all);
        consumer.seekToBeginning(added);
        LOG.warn("partitions were added to the topics the sink reads: {}; reading them from their start", added);
    }

    /** Wakes the loop up from another thread (a shutdown hook). */
    public void stop() {
        consumer.wakeup();
    }

    private void write(final List<PositionedRecord> batch) throws Exception {
        for (final BillingWriter writer : writers) {
            final Map<TopicPartition, Long> done = positions.get(writer);
            final List<PositionedRecord> pending = batch.stream()
                    .filter(record -> record.offset() >= done.getOrDefault(record.source(), 0L)).toList();
            if (pending.isEmpty()) {
                continue;
            }
            final BillingWriter.Written written = writer.write(pending);
            for (final RevisionConflict conflict : written.conflicts()) {
                LOG.warn("CONFLICT in the {} output: {} has a second record of revision {} of {}, which differs "
                        + "from the one the output holds ({}); the output keeps the one it holds, the compacted "
                        + "topic the later. Do two raters or processors publish to it under different application "
                        + "ids?", writer.name(), conflict.topic(), conflict.revision(), conflict.key(),
                        conflict.differences());
                metrics.conflict(writer.name());
            }
            pending.forEach(record -> done.put(record.source(), record.nextOffset()));
            final List<PositionedRecord> added = written.held().isEmpty() ? pending : without(pending, written.held());
            metrics.written(writer.name(), added.size());
            metrics.held(writer.name(), written.held().size());
            afterWrite.written(writer.name(), pending);
            final long now = Clock.systemUTC().millis();
            sinkLog.written(writer.name(), added, now);
            sinkLog.held(writer.name(), written.held().size(), now);
        }
        commitPositions();
        metrics.committed(Clock.systemUTC().millis());
        final long lag = lag();
        metrics.lag(lag);
        backlog = lag;
    }

    /** {@code records} less those of {@code held}, the same objects: only a batch with copies in it pays for this. */
    private static List<PositionedRecord> without(final List<PositionedRecord> records,
                                                  final List<PositionedRecord> held) {
        final Set<PositionedRecord> out = Collections.newSetFromMap(new IdentityHashMap<>());
        out.addAll(held);
        return records.stream().filter(record -> !out.contains(record)).toList();
    }

    /** The records left to read after the last batch written; empty before the first. Any thread may ask. */
    public OptionalLong backlog() {
        final long lag = backlog;
        return lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag);
    }

    /**
     * Commits the consumer's position in every assigned partition where it moved since the last confirmed commit,
     * whether or not a batch had a record of it. The position, not the last record + 1: on transactional topics it is
     * past the commit markers too, so a caught-up sink shows a lag of 0. A failed commit is retried by the next call
     * (the callback runs in a poll).
     */
    private void commitPositions() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final TopicPartition partition : consumer.assignment()) {
            final long position = consumer.position(partition);
            if (!Long.valueOf(position).equals(committed.get(partition))) {
                offsets.put(partition, new OffsetAndMetadata(position));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.debug("could not commit offsets for lag monitoring: {}", error.toString());
            } else {
                done.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            }
        });
    }

    /**
     * Committed records on the topics that this sink has not read and written yet; 0 when it is caught up. (The
     * consumer's position, not the last record + 1: on transactional topics it is past the commit markers too.)
     */
    public long lag() {
        final Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().mapToLong(end -> Math.max(0, end.getValue() - consumer.position(end.getKey())))
                .sum();
    }

    private PositionedRecord decode(final ConsumerRecord<String, byte[]> record) {
        final TopicPartition source = new TopicPartition(record.topic(), record.partition());
        final String topic = record.topic();
        try {
            if (topic.equals(chargesTopic)) {
                final ChargeLine line = Topics.CHARGES.valueSerde().deserializer().deserialize(topic, record.value());
                return line == null ? tombstone(record) : PositionedRecord.ofCharge(source, record.offset(), line);
            }
            if (topic.equals(reconciliationTopic)) {
                final Reconciliation line = Topics.RECONCILIATION.valueSerde().deserializer().deserialize(topic,
                        record.value());
                return line == null ? tombstone(record)
                        : PositionedRecord.ofReconciliation(source, record.offset(), line);
            }
            if (topic.equals(alertsTopic)) {
                final Alert alert = Topics.ALERTS.valueSerde().deserializer().deserialize(topic, record.value());
                return alert == null ? tombstone(record) : PositionedRecord.ofAlert(source, record.offset(), alert);
            }
            return new PositionedRecord(source, record.offset(), record.key(),
                    Topics.BILLING_RECORDS.valueSerde().deserializer().deserialize(topic, record.value()));
        } catch (final SerializationException e) {
            // billing data is never skipped: stop and say exactly where
            throw new IllegalStateException(topic + "-" + record.partition() + "@" + record.offset() + " does not "
                    + "follow its topic's schema (" + e.getMessage() + "); the sink stops rather than skip billing "
                    + "data", e);
        }
    }

    private static PositionedRecord tombstone(final ConsumerRecord<String, byte[]> record) {
        return new PositionedRecord(new TopicPartition(record.topic(), record.partition()), record.offset(),
                record.key(), null);
    }

    @Override
    public void close() {
        sinkLog.rest().forEach(LOG::info); // a burst written within the last seconds
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        for (final BillingWriter writer : writers) {
            try {
                writer.close();
            } catch (final Exception e) {
                LOG.warn("closing {}: {}", writer.name(), e.toString());
            }
        }
    }
}
