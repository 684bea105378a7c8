package io.usagepipeline.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of the public contract (DESIGN §3). Keys are UTF-8 strings, values UTF-8 JSON, one JSON Schema each
 * under {@code schemas/}. The {@code .v1} suffix is the contract version: incompatible changes get a new topic.
 */
public final class Topics {

    /** The default partition count; the raw topic's count is the processor's parallelism. */
    public static final int DEFAULT_PARTITIONS = 6;

    private static final String SIXTEEN_MIB = String.valueOf(16 * 1024 * 1024);

    /** Key: poll target. One record per poll, COMPLETE or FAILED. Kept forever: it is the source of every replay. */
    public static final TopicSpec<String, RawPoll> RAW = new TopicSpec<>("usage.raw.v1",
            Serdes.String(), new JsonSerde<>(RawPoll.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, SIXTEEN_MIB));

    /** Key: series key. Normalized levels, one per series per COMPLETE poll. */
    public static final TopicSpec<String, Observation> OBSERVATIONS = new TopicSpec<>("usage.observations.v1",
            Serdes.String(), new JsonSerde<>(Observation.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(400))));

    /** Key: period key. Rolling OPEN totals; compacted, so the latest total per period is kept. */
    public static final TopicSpec<String, PeriodRecord> TOTALS = new TopicSpec<>("usage.totals.v1",
            Serdes.String(), new JsonSerde<>(PeriodRecord.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /**
     * How long every revision of a billing record stays readable before compaction may remove a superseded one: the
     * default restatement horizon, so that a sink started after a replay or a raw import still sees each revision.
     */
    public static final Duration BILLING_COMPACTION_LAG = Duration.ofDays(35);

    /**
     * Key: period key. FINAL and RESTATED records; compacted, so the latest revision per period is kept, but not
     * before {@link #BILLING_COMPACTION_LAG}. The broker stamps each record with its append time: the processor
     * stamps records with stream time, which is months old in a replay, and compaction lag counts from the record
     * timestamps, so with those a superseded FINAL would be compacted within seconds.
     */
    public static final TopicSpec<String, PeriodRecord> BILLING_RECORDS = new TopicSpec<>("billing.records.v1",
            Serdes.String(), new JsonSerde<>(PeriodRecord.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, millis(BILLING_COMPACTION_LAG),
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));

    /**
     * Key: the bad record's key. Kept long enough to investigate and replay, counted from when it was written: the
     * processor stamps a DLQ record with the bad record's time (also in its {@code timestamp} field), which is older
     * than the retention in a replay or a catch-up, and the broker would delete it at its next retention check. It may
     * carry a whole raw poll.
     */
    public static final TopicSpec<String, DlqRecord> DLQ = new TopicSpec<>("usage.dlq.v1",
            Serdes.String(), new JsonSerde<>(DlqRecord.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(90)),
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                    TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                    // a raw poll of up to 16 MiB plus the JSON escaping of its payload
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(32 * 1024 * 1024)));

    /**
     * Key: {@code tenantId|month|line}. Priced lines, FINAL then RESTATED revisions; compacted like the billing
     * records, and for the same reason every revision stays readable for {@link #BILLING_COMPACTION_LAG}.
     */
    public static final TopicSpec<String, ChargeLine> CHARGES = new TopicSpec<>("billing.charges.v1",
            Serdes.String(), new JsonSerde<>(ChargeLine.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, millis(BILLING_COMPACTION_LAG),
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));

    /** Key: {@code kind|subject}. Each episode's start and end; kept long enough to look back over a year. */
    public static final TopicSpec<String, Alert> ALERTS = new TopicSpec<>("usage.alerts.v1",
            Serdes.String(), new JsonSerde<>(Alert.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, millis(Duration.ofDays(400))));

    /** Key: {@code tenantId|sourceId|licenseType|month}. Veeam's report lines; compacted, the latest poll wins. */
    public static final TopicSpec<String, VendorReportLine> REPORTS = new TopicSpec<>("usage.reports.v1",
            Serdes.String(), new JsonSerde<>(VendorReportLine.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /**
     * Key: {@code tenantId|sourceId|licenseType|month}. Our points against Veeam's report, every revision; compacted
     * like the charges, and every revision stays readable for {@link #BILLING_COMPACTION_LAG}.
     */
    public static final TopicSpec<String, Reconciliation> RECONCILIATION = new TopicSpec<>(
            "billing.reconciliation.v1", Serdes.String(), new JsonSerde<>(Reconciliation.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, millis(BILLING_COMPACTION_LAG),
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));

    private Topics() {
    }

    /** Every topic of the contract, in pipeline order. */
    public static List<TopicSpec<String, ?>> all() {
        return List.of(RAW, OBSERVATIONS, TOTALS, BILLING_RECORDS, DLQ, REPORTS, CHARGES, ALERTS, RECONCILIATION);
    }

    private static String millis(final Duration duration) {
        return String.valueOf(duration.toMillis());
    }
}
