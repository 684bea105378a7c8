package io.usagepipeline.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.VendorKeys;
import io.usagepipeline.processor.alerts.AlertThresholds;
import io.usagepipeline.processor.billing.ZoneSchedule;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.Setting;
import io.usagepipeline.runtime.config.Values;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's settings ({@code processor.*}, {@code alerts.*}), declared and bound here so that every rule about
 * them lives with the code they configure.
 *
 * @param billing      the billing and alert rules
 * @param instanceId   the static group member id, empty for none
 * @param streamThreads stream threads of this instance; 0 for the profile's own ({@link Profile#streamThreads()})
 * @param kafkaTimeout how long Kafka may not answer, or a source topic be missing, before the processor stops
 */
public record ProcessorSettings(ProcessorConfig billing, String applicationId, String instanceId, Profile profile,
                                int streamThreads, Path stateDir, Duration kafkaTimeout) {

    public static final Setting<String> APPLICATION_ID = new Setting<>("processor.applicationId",
            "usage-pipeline-processor", "a Kafka Streams application id (letters, digits, '.', '_', '-')",
            Values::name,
            "Kafka Streams application id: its consumer group, transactional ids and internal topics.");

    public static final Setting<String> INSTANCE_ID = new Setting<>("processor.instanceId", "",
            "a name (letters, digits, '.', '_', '-'), or empty", text -> text.isEmpty() ? text : Values.name(text),
            "Stable id of this processor instance, one per instance (static group membership): a restarted instance "
                    + "takes its partitions back at once instead of waiting for session.timeout.ms. Empty: none.");

    public static final Setting<Profile> PROFILE = new Setting<>("processor.profile", "LIVE",
            "LIVE or REPLAY", ProcessorSettings::profile,
            "LIVE: every poll's observations and OPEN totals within a second (the continuous feed). REPLAY: billing "
                    + "records only, 10 s commits, cached state and a stream thread per core, for recomputing "
                    + "history several times faster.");

    public static final Setting<Integer> STREAM_THREADS = new Setting<>("processor.streamThreads", "0",
            "0, or a number of threads from 1 to 64", text -> Values.intBetween(text, 0, 64),
            "Kafka Streams threads of this instance, each working through some of the raw topic's partitions. "
                    + "0: the profile's own (1 under LIVE, one per core under REPLAY).");

    public static final Setting<Path> STATE_DIR = new Setting<>("processor.stateDir",
            ".usage-pipeline/processor-state", "a directory path", Path::of,
            "Where the processor keeps its local state stores (rebuilt from Kafka when lost).");

    public static final Setting<Duration> MAX_GAP = new Setting<>("processor.maxGap",
            "PT3H", "a positive ISO-8601 duration, e.g. PT3H",
            Values::positiveDuration,
            "How long a level is carried forward after an observation before it becomes unknown.");

    public static final Setting<Duration> GRACE = new Setting<>("processor.grace",
            "PT2H", "an ISO-8601 duration, e.g. PT2H", Values::nonNegativeDuration,
            "How long after its end a period waits for out-of-order polls before it closes.");

    public static final Setting<Duration> HORIZON = new Setting<>("processor.horizon",
            "P35D", "a positive ISO-8601 duration, e.g. P35D",
            Values::positiveDuration,
            "The age a poll may have against stream time and still count (it recomputes every period it touches, "
                    + "closed ones included, restating what changed); an older poll goes to the DLQ.");

    public static final Setting<BigDecimal> MAX_UNITS = new Setting<>("processor.maxUnits",
            ProcessorConfig.DEFAULT_MAX_UNITS.toPlainString(), "a positive number, e.g. 1000000000",
            Values::positiveDecimal,
            "The largest figure (units, count) one series may report; a poll with a larger one goes to the DLQ as "
                    + "IMPLAUSIBLE_FIGURE and is never billed.");

    public static final Setting<Duration> MAX_AHEAD = new Setting<>("processor.maxAhead",
            ProcessorConfig.DEFAULT_MAX_AHEAD.toString(), "a positive ISO-8601 duration, e.g. PT1H",
            Values::positiveDuration,
            "How far ahead of the processor's clock a poll may be stamped; one further ahead goes to the DLQ as "
                    + "AHEAD_OF_CLOCK without moving stream time.");

    public static final Setting<ZoneId> ZONE = new Setting<>("processor.zone", "UTC",
            "an IANA zone id, e.g. UTC or Europe/Berlin", Values::zone,
            "Billing zone of calendar days and months (processor.tenantZones overrides it per tenant).");

    public static final Setting<Duration> KAFKA_TIMEOUT = new Setting<>("processor.kafkaTimeout", "PT2M",
            "a positive ISO-8601 duration, e.g. PT2M", Values::positiveDuration,
            "How long Kafka may not answer, or a source topic be missing from its metadata, before 'process' stops "
                    + "with exit code 1.");

    public static final Setting<BigDecimal> SPIKE_FACTOR = new Setting<>("alerts.spikeFactor",
            AlertThresholds.DEFAULTS.spikeFactor().toPlainString(), "a number above 1, e.g. 2",
            ProcessorSettings::aboveOne,
            "A level above this many times its series' peak of the day before is a SPIKE alert (when it is also "
                    + "alerts.spikeMinDelta above it).");

    public static final Setting<BigDecimal> SPIKE_MIN_DELTA = new Setting<>("alerts.spikeMinDelta",
            AlertThresholds.DEFAULTS.spikeMinDelta().toPlainString(), "a number of at least 0, e.g. 10",
            text -> text.trim().equals("0") ? BigDecimal.ZERO : Values.positiveDecimal(text),
            "How far above the day before's peak a level must also be to be a SPIKE, so that small series "
                    + "doubling (1 to 3) raise nothing.");

    /** Per-tenant billing zones: tenant id → IANA zone id. */
    public static final String TENANT_ZONES = "processor.tenantZones";

    /**
     * Source id → (VAC tenant id or VSPC company → tenant), used only for raw polls written before the collector
     * stamped its own mapping into each poll.
     */
    public static final String TENANT_MAPS = "processor.tenantMaps";

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(APPLICATION_ID, INSTANCE_ID, PROFILE, STREAM_THREADS,
            STATE_DIR, MAX_GAP, GRACE, HORIZON, MAX_UNITS, MAX_AHEAD, ZONE, KAFKA_TIMEOUT, SPIKE_FACTOR,
            SPIKE_MIN_DELTA),
            TENANT_ZONES, TENANT_MAPS);

    private static Profile profile(final String text) {
        try {
            return Profile.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("not a profile"); // the enum's own message names a Java class
        }
    }

    /**
     * @param topicPrefix the prefix of the topics it reads and writes (a setting every part shares)
     * @throws ConfigException naming the key of a structured section that is not valid
     */
    public static ProcessorSettings bind(final ConfigTree tree, final String topicPrefix) {
        final Map<String, ZoneSchedule> tenantZones = tenantZones(tree);
        final ZoneSchedule everyOther = tenantZones.get(ProcessorConfig.EVERY_OTHER_TENANT);
        if (everyOther != null && !everyOther.latest().equals(tree.get(ZONE))) {
            throw new ConfigException(TENANT_ZONES + ".\"*\" ends with " + everyOther.latest() + ", but "
                    + ZONE.path() + " is " + tree.get(ZONE) + " (from " + tree.origin(ZONE) + "): the billing zone "
                    + "of every tenant without its own is the last of \"*\"; set " + ZONE.path() + ": "
                    + everyOther.latest());
        }
        final ProcessorConfig billing = new ProcessorConfig(topicPrefix, tree.get(MAX_GAP), tree.get(GRACE),
                tree.get(HORIZON), tree.get(ZONE), tenantZones, tenantDirectory(tree), tree.get(MAX_UNITS),
                tree.get(MAX_AHEAD), new AlertThresholds(tree.get(SPIKE_FACTOR), tree.get(SPIKE_MIN_DELTA)));
        return new ProcessorSettings(billing, tree.get(APPLICATION_ID), tree.get(INSTANCE_ID), tree.get(PROFILE),
                tree.get(STREAM_THREADS), tree.get(STATE_DIR), tree.get(KAFKA_TIMEOUT));
    }

    /** Kafka Streams settings for this instance under its profile, static membership included when named. */
    public Properties streamsConfig(final Map<String, Object> kafka) {
        final Properties properties = withThreads(UsageProcessor.streamsConfig(applicationId, kafka, stateDir,
                profile));
        if (!instanceId.isEmpty()) {
            properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
        }
        return properties;
    }

    /** Kafka Streams settings for a replay of these rules under an application id and state dir of its own. */
    public Properties replayStreamsConfig(final String replayId, final Map<String, Object> kafka,
                                          final Path replayStateDir) {
        return withThreads(UsageProcessor.streamsConfig(replayId, kafka, replayStateDir, Profile.REPLAY));
    }

    private Properties withThreads(final Properties properties) {
        if (streamThreads > 0) {
            properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        }
        return properties;
    }

    private static BigDecimal aboveOne(final String text) {
        final BigDecimal value = Values.positiveDecimal(text);
        if (value.compareTo(BigDecimal.ONE) <= 0) {
            throw new IllegalArgumentException("not above 1");
        }
        return value;
    }

    /**
     * Per-tenant zones: a zone id, or the zones a tenant has had, in order, each after the first with the month it
     * took over from ({@code [{zone: UTC}, {zone: Asia/Tokyo, from: 2026-11}]}); {@code "*"} for every tenant without
     * its own.
     */
    private static Map<String, ZoneSchedule> tenantZones(final ConfigTree tree) {
        final Map<String, ZoneSchedule> zones = new HashMap<>();
        tree.section(TENANT_ZONES).ifPresent(node -> {
            requireObject(node, TENANT_ZONES);
            node.fields().forEachRemaining(entry -> {
                final String path = TENANT_ZONES + "." + entry.getKey();
                if (!entry.getValue().isArray()) {
                    zones.put(entry.getKey(), ZoneSchedule.of(zone(entry.getValue(), path)));
                    return;
                }
                final List<ZoneSchedule.Change> changes = new ArrayList<>();
                for (int i = 0; i < entry.getValue().size(); i++) {
                    final JsonNode change = entry.getValue().get(i);
                    final String at = path + "[" + i + "]";
                    requireObject(change, at);
                    final Set<String> keys = new TreeSet<>();
                    change.fieldNames().forEachRemaining(keys::add);
                    keys.removeAll(Set.of("zone", "from"));
                    if (!keys.isEmpty()) {
                        throw new ConfigException(at + ": unknown key " + String.join(", ", keys)
                                + "; a zone change has 'zone' and 'from' (the month it takes over, e.g. 2026-11)");
                    }
                    changes.add(new ZoneSchedule.Change(change.has("from") ? month(change.get("from"), at + ".from")
                            : null, zone(change.get("zone"), at + ".zone")));
                }
                try {
                    zones.put(entry.getKey(), ZoneSchedule.of(changes));
                } catch (final IllegalArgumentException e) {
                    throw new ConfigException(path + ": " + e.getMessage());
                }
            });
        });
        return zones;
    }

    private static ZoneId zone(final JsonNode node, final String path) {
        final String text = text(node, path);
        try {
            return Values.zone(text);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(path + " = '" + text + "': " + e.getMessage()
                    + "; expected an IANA zone id such as Europe/Berlin");
        }
    }

    private static YearMonth month(final JsonNode node, final String path) {
        final String text = text(node, path);
        try {
            return YearMonth.parse(text);
        } catch (final DateTimeParseException e) {
            throw new ConfigException(path + " = '" + text + "': not a month; expected one such as 2026-11");
        }
    }

    private static TenantDirectory tenantDirectory(final ConfigTree tree) {
        final Map<String, Map<String, String>> bySource = new HashMap<>();
        tree.section(TENANT_MAPS).ifPresent(sources -> {
            requireObject(sources, TENANT_MAPS);
            sources.fields().forEachRemaining(source -> {
                final String path = TENANT_MAPS + "." + source.getKey();
                requireObject(source.getValue(), path);
                final Map<String, String> mapping = new LinkedHashMap<>(); // the config's order, for a conflict
                source.getValue().fields().forEachRemaining(entry -> mapping.put(entry.getKey(),
                        text(entry.getValue(), path + "." + entry.getKey())));
                VendorKeys.conflict(mapping).ifPresent(conflict -> {
                    throw new ConfigException(path + ": " + conflict);
                });
                bySource.put(source.getKey(), mapping);
            });
        });
        return TenantDirectory.of(bySource);
    }

    private static void requireObject(final JsonNode node, final String path) {
        if (!node.isObject()) {
            throw new ConfigException(path + ": expected a mapping");
        }
    }

    private static String text(final JsonNode node, final String path) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()
                || node.asText().isBlank()) {
            throw new ConfigException(path + ": expected a non-empty value");
        }
        return node.asText();
    }
}
