package io.usagepipeline.cli.config;

import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.processor.alerts.AlertThresholds;
import io.usagepipeline.runtime.HealthBounds;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Every scalar option of the configuration file, declared once. Kafka client settings live under {@code kafka}. */
public final class Settings {

    public static final Setting<String> TOPICS_PREFIX = new Setting<>("topics.prefix", "",
            "a topic-name prefix, e.g. 'prod.' (empty for none)", Settings::topicPrefix,
            "Prefix put before every topic name of the contract.");

    public static final Setting<Integer> TOPICS_PARTITIONS = new Setting<>("topics.partitions",
            String.valueOf(Topics.DEFAULT_PARTITIONS), "a whole number from 1 to 10000",
            text -> intBetween(text, 1, 10_000),
            "Partitions of each topic created; the raw topic's count is the processor's parallelism.");

    public static final Setting<Integer> TOPICS_REPLICATION_FACTOR = new Setting<>("topics.replicationFactor", "0",
            "a whole number from 0 to 32 (0: the broker's default.replication.factor)",
            text -> intBetween(text, 0, 32),
            "Replication factor of each topic created; 0 takes the broker's default.");

    public static final Setting<Integer> BROKER_PORT = new Setting<>("broker.port", "9092",
            "a TCP port from 1 to 65535", text -> intBetween(text, 1, 65_535),
            "Client port of the development broker on localhost.");

    public static final Setting<Path> BROKER_DATA_DIR = new Setting<>("broker.dataDir", ".usage-pipeline/broker",
            "a directory path", Path::of,
            "Where the development broker keeps topics and records across restarts.");

    public static final Setting<Duration> COLLECTOR_POLL_INTERVAL = new Setting<>("collector.pollInterval", "PT15M",
            "an ISO-8601 duration of at least one minute, e.g. PT15M", Settings::pollInterval,
            "How often every source is polled; slots are aligned to this interval.");

    public static final Setting<Integer> COLLECTOR_CONCURRENCY = new Setting<>("collector.concurrency", "32",
            "a whole number from 1 to 1000", text -> intBetween(text, 1, 1000),
            "Polls running at once; each is a sequence of small requests to one appliance.");

    public static final Setting<String> PROCESSOR_APPLICATION_ID = new Setting<>("processor.applicationId",
            "usage-pipeline-processor", "a Kafka Streams application id (letters, digits, '.', '_', '-')",
            Settings::applicationId,
            "Kafka Streams application id: its consumer group, transactional ids and internal topics.");

    public static final Setting<String> PROCESSOR_INSTANCE_ID = new Setting<>("processor.instanceId", "",
            "a name (letters, digits, '.', '_', '-'), or empty", text -> text.isEmpty() ? text : applicationId(text),
            "Stable id of this processor instance, one per instance (static group membership): a restarted instance "
                    + "takes its partitions back at once instead of waiting for session.timeout.ms. Empty: none.");

    public static final Setting<Profile> PROCESSOR_PROFILE = new Setting<>("processor.profile", "LIVE",
            "LIVE or REPLAY", text -> Profile.valueOf(text.toUpperCase(Locale.ROOT)),
            "LIVE: every poll's observations and OPEN totals within a second (the continuous feed). REPLAY: billing "
                    + "records only, 10 s commits and cached state, for recomputing history several times faster.");

    public static final Setting<Path> PROCESSOR_STATE_DIR = new Setting<>("processor.stateDir",
            ".usage-pipeline/processor-state", "a directory path", Path::of,
            "Where the processor keeps its local state stores (rebuilt from Kafka when lost).");

    public static final Setting<Duration> PROCESSOR_MAX_GAP = new Setting<>("processor.maxGap", "PT3H",
            "a positive ISO-8601 duration, e.g. PT3H", Settings::positiveDuration,
            "How long a level is carried forward after an observation before it becomes unknown.");

    public static final Setting<Duration> PROCESSOR_GRACE = new Setting<>("processor.grace", "PT2H",
            "an ISO-8601 duration, e.g. PT2H", Settings::nonNegativeDuration,
            "How long after its end a period waits for out-of-order polls before it closes.");

    public static final Setting<Duration> PROCESSOR_HORIZON = new Setting<>("processor.horizon", "P35D",
            "a positive ISO-8601 duration, e.g. P35D", Settings::positiveDuration,
            "The age a poll may have against stream time and still count (it recomputes every period it touches, "
                    + "closed ones included, restating what changed); an older poll goes to the DLQ.");

    public static final Setting<BigDecimal> PROCESSOR_MAX_UNITS = new Setting<>("processor.maxUnits",
            ProcessorConfig.DEFAULT_MAX_UNITS.toPlainString(),
            "a positive number, e.g. 1000000000", Settings::positiveDecimal,
            "The largest figure (units, count) one series may report; a poll with a larger one goes to the DLQ as "
                    + "IMPLAUSIBLE_FIGURE and is never billed.");

    public static final Setting<Duration> PROCESSOR_MAX_AHEAD = new Setting<>("processor.maxAhead",
            ProcessorConfig.DEFAULT_MAX_AHEAD.toString(),
            "a positive ISO-8601 duration, e.g. PT1H", Settings::positiveDuration,
            "How far ahead of the processor's clock a poll may be stamped; one further ahead goes to the DLQ as "
                    + "AHEAD_OF_CLOCK without moving stream time.");

    public static final Setting<ZoneId> PROCESSOR_ZONE = new Setting<>("processor.zone", "UTC",
            "an IANA zone id, e.g. UTC or Europe/Berlin", Settings::zone,
            "Billing zone of calendar days and months (processor.tenantZones overrides it per tenant).");

    public static final Setting<BigDecimal> ALERTS_SPIKE_FACTOR = new Setting<>("alerts.spikeFactor",
            AlertThresholds.DEFAULTS.spikeFactor().toPlainString(), "a number above 1, e.g. 2",
            text -> above(positiveDecimal(text), BigDecimal.ONE),
            "A level above this many times its series' peak of the day before is a SPIKE alert (when it is also "
                    + "alerts.spikeMinDelta above it).");

    public static final Setting<BigDecimal> ALERTS_SPIKE_MIN_DELTA = new Setting<>("alerts.spikeMinDelta",
            AlertThresholds.DEFAULTS.spikeMinDelta().toPlainString(), "a number of at least 0, e.g. 10",
            text -> text.trim().equals("0") ? BigDecimal.ZERO : positiveDecimal(text),
            "How far above the day before's peak a level must also be to be a SPIKE, so that small series "
                    + "doubling (1 to 3) raise nothing.");

    public static final Setting<Integer> HTTP_PORT = new Setting<>("http.port", "0",
            "a TCP port from 0 to 65535 (0: no HTTP endpoint)", text -> intBetween(text, 0, 65_535),
            "Port of /metrics (Prometheus) and /health for long-running commands.");

    public static final Setting<String> HTTP_ADDRESS = new Setting<>("http.address", "127.0.0.1",
            "an IP address or host name of this machine", Settings::notBlank,
            "Address /metrics and /health listen on: this machine only unless told (0.0.0.0: every interface, as a "
                    + "container needs for probes from outside).");

    public static final Setting<Duration> HEALTH_UNREACHABLE_AFTER = new Setting<>("health.unreachableAfter",
            HealthBounds.DEFAULTS.unreachable().toString(),
            "a positive ISO-8601 duration, e.g. PT10S", Settings::positiveDuration,
            "How long Kafka may not answer before /health says DOWN (503).");

    public static final Setting<Duration> HEALTH_STALLED_AFTER = new Setting<>("health.stalledAfter",
            HealthBounds.DEFAULTS.stalled().toString(),
            "a positive ISO-8601 duration, e.g. PT2M", Settings::positiveDuration,
            "How long a service may make no progress (the processor not RUNNING, no sink batch finished) before "
                    + "/health says DOWN (503).");

    public static final Setting<Duration> PROCESSOR_KAFKA_TIMEOUT = new Setting<>("processor.kafkaTimeout", "PT2M",
            "a positive ISO-8601 duration, e.g. PT2M", Settings::positiveDuration,
            "How long Kafka may not answer before 'process' stops with exit code 1.");

    public static final Setting<String> RATER_APPLICATION_ID = new Setting<>("rater.applicationId",
            "usage-pipeline-rater", "a Kafka Streams application id (letters, digits, '.', '_', '-')",
            Settings::applicationId,
            "Kafka Streams application id of the rater: its consumer group, transactional ids and internal topics.");

    public static final Setting<Path> RATER_STATE_DIR = new Setting<>("rater.stateDir",
            ".usage-pipeline/rater-state", "a directory path", Path::of,
            "Where the rater keeps its local state stores (rebuilt from Kafka when lost).");

    public static final Setting<Duration> RATER_KAFKA_TIMEOUT = new Setting<>("rater.kafkaTimeout", "PT2M",
            "a positive ISO-8601 duration, e.g. PT2M", Settings::positiveDuration,
            "How long Kafka may not answer before 'rate' stops with exit code 1.");

    public static final Setting<String> SINK_NAME = new Setting<>("sink.name", "usage-pipeline-sink",
            "a name (letters, digits, '.', '_', '-')", Settings::applicationId,
            "Whose stored offsets these are (and the consumer group used for lag monitoring).");

    public static final Setting<String> SINK_CSV_DIR = new Setting<>("sink.csvDir", "",
            "a directory path (empty: no files)", text -> text, "Where billing CSVs and history.jsonl go.");

    public static final Setting<String> SINK_JDBC_URL = new Setting<>("sink.jdbc.url", "",
            "a jdbc:postgresql:// URL (empty: no database)", Settings::jdbcUrl,
            "PostgreSQL to write billing records to; the schema is created and migrated on start.");

    public static final Setting<String> SINK_JDBC_USER = new Setting<>("sink.jdbc.user", "",
            "a database user name", text -> text, "PostgreSQL user.");

    public static final Setting<String> SINK_JDBC_PASSWORD_ENV = new Setting<>("sink.jdbc.passwordEnv", "",
            "the name of an environment variable", text -> text,
            "Environment variable holding the PostgreSQL password (secrets never go in the file).");

    public static final Setting<String> SINK_JDBC_PASSWORD_FILE = new Setting<>("sink.jdbc.passwordFile", "",
            "a file path", text -> text, "File holding the PostgreSQL password.");

    public static final Setting<Integer> SINK_BATCH_SIZE = new Setting<>("sink.batchSize", "500",
            "a whole number from 1 to 100000", text -> intBetween(text, 1, 100_000),
            "Records per write at most.");

    public static final Setting<Duration> SINK_MAX_BATCH_DELAY = new Setting<>("sink.maxBatchDelay", "PT1S",
            "a positive ISO-8601 duration, e.g. PT1S", Settings::positiveDuration,
            "How long a record may wait for its batch to fill before it is written anyway.");

    /** All declared scalar settings. */
    public static final List<Setting<?>> ALL = List.of(TOPICS_PREFIX, TOPICS_PARTITIONS, TOPICS_REPLICATION_FACTOR,
            BROKER_PORT, BROKER_DATA_DIR, COLLECTOR_POLL_INTERVAL, COLLECTOR_CONCURRENCY, PROCESSOR_APPLICATION_ID,
            PROCESSOR_INSTANCE_ID, PROCESSOR_PROFILE, PROCESSOR_STATE_DIR, PROCESSOR_MAX_GAP, PROCESSOR_GRACE, PROCESSOR_HORIZON,
            PROCESSOR_MAX_UNITS, PROCESSOR_MAX_AHEAD, PROCESSOR_ZONE, PROCESSOR_KAFKA_TIMEOUT, ALERTS_SPIKE_FACTOR,
            ALERTS_SPIKE_MIN_DELTA, HTTP_PORT, HTTP_ADDRESS,
            HEALTH_UNREACHABLE_AFTER, HEALTH_STALLED_AFTER, RATER_APPLICATION_ID, RATER_STATE_DIR,
            RATER_KAFKA_TIMEOUT, SINK_NAME, SINK_CSV_DIR, SINK_JDBC_URL, SINK_JDBC_USER,
            SINK_JDBC_PASSWORD_ENV, SINK_JDBC_PASSWORD_FILE, SINK_BATCH_SIZE, SINK_MAX_BATCH_DELAY);

    /** The rate card (DESIGN §4b), bound and checked by the rater. */
    public static final String RATING = "rating";

    /** Paths that hold structured values (lists, maps), validated by the part that owns them. */
    public static final Set<String> STRUCTURED = Set.of("collector.sources", "processor.tenantZones",
            "processor.tenantMaps", RATING);

    /** The free-form section of Kafka client properties ({@code kafka: {bootstrap.servers: ...}}). */
    public static final String KAFKA_SECTION = "kafka";

    private Settings() {
    }

    private static int intBetween(final String text, final int min, final int max) {
        final int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static String topicPrefix(final String text) {
        if (!text.matches("[a-zA-Z0-9._-]*")) {
            throw new IllegalArgumentException("topic names allow only letters, digits, '.', '_' and '-'");
        }
        return text;
    }

    private static Duration pollInterval(final String text) {
        final Duration duration = duration(text);
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("shorter than one minute");
        }
        return duration;
    }

    private static BigDecimal positiveDecimal(final String text) {
        final BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("not a number", e);
        }
        if (value.signum() <= 0 || value.precision() - value.scale() > 30) {
            throw new IllegalArgumentException("not a positive number of at most 30 digits");
        }
        return value;
    }

    private static BigDecimal above(final BigDecimal value, final BigDecimal bound) {
        if (value.compareTo(bound) <= 0) {
            throw new IllegalArgumentException("not above " + bound.toPlainString());
        }
        return value;
    }

    private static Duration positiveDuration(final String text) {
        final Duration duration = duration(text);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("not positive");
        }
        return duration;
    }

    private static Duration nonNegativeDuration(final String text) {
        final Duration duration = duration(text);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative");
        }
        return duration;
    }

    private static Duration duration(final String text) {
        try {
            return Duration.parse(text.trim());
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration", e);
        }
    }

    /** Also used for the zones of processor.tenantZones. */
    public static ZoneId zone(final String text) {
        try {
            return ZoneId.of(text.trim());
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("not a known time zone", e);
        }
    }

    private static String jdbcUrl(final String text) {
        if (!text.isEmpty() && !text.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
        }
        return text;
    }

    private static String notBlank(final String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        return text.trim();
    }

    private static String applicationId(final String text) {
        if (!text.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("empty or with characters Kafka does not allow");
        }
        return text;
    }
}
