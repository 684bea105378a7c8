package io.usagepipeline.processor;

import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.SnapshotDiff.TargetState;
import io.usagepipeline.processor.alerts.AlertRules;
import io.usagepipeline.processor.billing.ObservedLevel;
import io.usagepipeline.processor.billing.PeriodState;
import io.usagepipeline.processor.billing.SeriesState;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology: {@code usage.raw.v1} → {@link RawPollProcessor} → observations, totals, billing records,
 * Veeam's report lines and the DLQ; and what each poll showed → {@link AlertRules} → {@code usage.alerts.v1}. Every series comes from one poll target, and the raw topic is keyed by poll target, so all state of a
 * series lives in one task: no repartition, and each task is deterministic over its input partition.
 */
public final class UsageTopology {

    public static final String SOURCE = "raw-polls";
    public static final String PROCESSOR = "usage-processor";
    public static final String OBSERVATIONS_SINK = "observations-sink";
    public static final String TOTALS_SINK = "totals-sink";
    public static final String BILLING_SINK = "billing-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String REPORTS_SINK = "reports-sink";
    /** The alert rules: a node of their own after the processor, with stores of their own. */
    public static final String ALERT_RULES = "alert-rules";
    public static final String ALERTS_SINK = "alerts-sink";

    /** pollIds of COMPLETE polls already processed, by slot, kept for the restatement horizon. */
    public static final String DEDUP_STORE = "dedup-store";
    /** per poll target: which series its snapshots have contained. */
    public static final String TARGETS_STORE = "targets-store";
    /** per series: owner, latest level, open periods. */
    public static final String SERIES_STORE = "series-store";
    /** per series and instant: every observation within the horizon, for recomputing periods. */
    public static final String HISTORY_STORE = "history-store";
    /** per period key: the fold and what was published. */
    public static final String PERIODS_STORE = "periods-store";
    /** open periods by the instant they become due to close. */
    public static final String CLOSING_STORE = "closing-index-store";

    private UsageTopology() {
    }

    /** The live topology: raw polls and outputs under the configured topic prefix. */
    public static Topology build(final ProcessorConfig config, final ProcessorMetrics metrics) {
        return build(config, metrics, config.topicPrefix());
    }

    /**
     * A topology that reads the raw topic under the configured prefix and writes its outputs under
     * {@code outputPrefix}: a replay recomputes history without touching the live outputs.
     */
    public static Topology build(final ProcessorConfig config, final ProcessorMetrics metrics,
                                 final String outputPrefix) {
        return build(config, metrics, outputPrefix, Profile.LIVE);
    }

    /** The same, run under a profile: a replay publishes only billing records and caches its stores. */
    public static Topology build(final ProcessorConfig config, final ProcessorMetrics metrics,
                                 final String outputPrefix, final Profile profile) {
        final Topology topology = new Topology();
        // a new application reads the raw history from its beginning (the Streams default, said here explicitly)
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new BoundedTimestampExtractor(config.maxAhead()),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.RAW.name(config.topicPrefix()));
        topology.addProcessor(PROCESSOR, () -> new RawPollProcessor(config, metrics, profile.perPollOutputs()),
                SOURCE);
        topology.addStateStore(cached(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUP_STORE, config.timeRules().duplicateMemory(), Duration.ofMillis(1),
                        false), Serdes.String(), Serdes.Long()), profile), PROCESSOR);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TARGETS_STORE),
                Serdes.String(), JsonSerde.exact(TargetState.class)), profile), PROCESSOR);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERIES_STORE),
                Serdes.String(), JsonSerde.exact(SeriesState.class)), profile), PROCESSOR);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
                Serdes.String(), JsonSerde.exact(ObservedLevel.class)), profile), PROCESSOR);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERIODS_STORE),
                Serdes.String(), JsonSerde.exact(PeriodState.class)), profile), PROCESSOR);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLOSING_STORE),
                Serdes.String(), Serdes.String()), profile), PROCESSOR);
        topology.addSink(OBSERVATIONS_SINK, Topics.OBSERVATIONS.name(outputPrefix),
                Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(TOTALS_SINK, Topics.TOTALS.name(outputPrefix), Topics.TOTALS.keySerde().serializer(),
                Topics.TOTALS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(BILLING_SINK, Topics.BILLING_RECORDS.name(outputPrefix),
                Topics.BILLING_RECORDS.keySerde().serializer(), Topics.BILLING_RECORDS.valueSerde().serializer(),
                PROCESSOR);
        topology.addSink(DLQ_SINK, Topics.DLQ.name(outputPrefix), Topics.DLQ.keySerde().serializer(),
                Topics.DLQ.valueSerde().serializer(), PROCESSOR);
        topology.addSink(REPORTS_SINK, Topics.REPORTS.name(outputPrefix), Topics.REPORTS.keySerde().serializer(),
                Topics.REPORTS.valueSerde().serializer(), PROCESSOR);
        topology.addProcessor(ALERT_RULES, AlertRules.supplier(config.maxGap(), config.alerts(), metrics::alert),
                PROCESSOR);
        topology.addSink(ALERTS_SINK, Topics.ALERTS.name(outputPrefix), Topics.ALERTS.keySerde().serializer(),
                Topics.ALERTS.valueSerde().serializer(), ALERT_RULES);
        return topology;
    }

    /** A store behind the Streams record cache when the profile has one: updates between commits coalesce. */
    private static <T extends StateStore> StoreBuilder<T> cached(final StoreBuilder<T> store, final Profile profile) {
        return profile.cacheBytes() > 0 ? store.withCachingEnabled() : store;
    }
}
