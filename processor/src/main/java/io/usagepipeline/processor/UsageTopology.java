package io.usagepipeline.processor;

import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.alerts.AlertRules;
import io.usagepipeline.processor.state.StoreOptions;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;

/**
 * The processor's topology: {@code usage.raw.v1} → {@link RawPollProcessor} → observations, totals, billing records,
 * Veeam's report lines and the DLQ; and what each poll showed → {@link AlertRules} → {@code usage.alerts.v1}. Every
 * series comes from one poll target, and the raw topic is keyed by poll target, so all state of a series lives in one
 * task: no repartition, and each task is deterministic over its input partition. Each processor's supplier owns its
 * stores; this class only connects the source, the processors and the sinks.
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

    /**
     * The same, run under a profile: the replay profile publishes nothing per poll (observations, OPEN totals) and
     * its stores hold updated values between commits.
     */
    public static Topology build(final ProcessorConfig config, final ProcessorMetrics metrics,
                                 final String outputPrefix, final Profile profile) {
        return build(config, metrics, outputPrefix, profile, Run.SERVICE);
    }

    /**
     * The same, for a run of some purpose: a recomputation keeps no changelogs ({@link StoreOptions}) and runs no
     * alert rules.
     */
    public static Topology build(final ProcessorConfig config, final ProcessorMetrics metrics,
                                 final String outputPrefix, final Profile profile, final Run run) {
        final StoreOptions stores = new StoreOptions(run.changelogs());
        final Topology topology = new Topology();
        // a new application reads the raw history from its beginning (the Streams default, said here explicitly)
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new BoundedTimestampExtractor(config.maxAhead()),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.RAW.name(config.topicPrefix()));
        topology.addProcessor(PROCESSOR, RawPollProcessor.supplier(config, metrics, profile, run.alerts(), stores),
                SOURCE);
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
        if (run.alerts()) {
            topology.addProcessor(ALERT_RULES, AlertRules.supplier(config.maxGap(), config.alerts(), metrics::alert,
                    stores), PROCESSOR);
            topology.addSink(ALERTS_SINK, Topics.ALERTS.name(outputPrefix), Topics.ALERTS.keySerde().serializer(),
                    Topics.ALERTS.valueSerde().serializer(), ALERT_RULES);
        }
        return topology;
    }
}
