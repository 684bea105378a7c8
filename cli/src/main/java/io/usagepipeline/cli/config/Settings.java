package io.usagepipeline.cli.config;

import io.usagepipeline.collector.config.CollectorSettings;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.rating.RaterSettings;
import io.usagepipeline.runtime.RunnerSettings;
import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.Setting;
import io.usagepipeline.runtime.config.Values;
import io.usagepipeline.sink.SinkSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings every part shares (the topics) or that only the command reads (the development broker), and the keys
 * of the whole configuration: these with every part's own ({@link ProcessorSettings}, {@link SinkSettings}, ...).
 */
public final class Settings {

    public static final Setting<String> TOPICS_PREFIX = new Setting<>("topics.prefix", "",
            "a topic-name prefix, e.g. 'prod.' (empty for none)", Settings::topicPrefix,
            "Prefix put before every topic name of the contract.");

    public static final Setting<Integer> TOPICS_PARTITIONS = new Setting<>("topics.partitions",
            String.valueOf(Topics.DEFAULT_PARTITIONS), "a whole number from 1 to 10000",
            text -> Values.intBetween(text, 1, 10_000),
            "Partitions of each topic created; the raw topic's count is the processor's parallelism.");

    public static final Setting<Integer> TOPICS_REPLICATION_FACTOR = new Setting<>("topics.replicationFactor", "0",
            "a whole number from 0 to 32 (0: the broker's default.replication.factor)",
            text -> Values.intBetween(text, 0, 32),
            "Replication factor of each topic created; 0 takes the broker's default.");

    public static final Setting<Integer> BROKER_PORT = new Setting<>("broker.port", "9092",
            "a TCP port from 1 to 65535", text -> Values.intBetween(text, 1, 65_535),
            "Client port of the development broker on localhost.");

    public static final Setting<Path> BROKER_DATA_DIR = new Setting<>("broker.dataDir", ".usage-pipeline/broker",
            "a directory path", Path::of,
            "Where the development broker keeps topics and records across restarts.");

    /** Every key of the configuration file; one nobody reads is refused at start. */
    public static final ConfigKeys KEYS = ConfigKeys.union(
            ConfigKeys.of(List.of(TOPICS_PREFIX, TOPICS_PARTITIONS, TOPICS_REPLICATION_FACTOR, BROKER_PORT,
                    BROKER_DATA_DIR)),
            CollectorSettings.KEYS, ProcessorSettings.KEYS, RaterSettings.KEYS, SinkSettings.KEYS,
            LetterheadSettings.KEYS, RunnerSettings.KEYS);

    /** The free-form section of Kafka client properties ({@code kafka: {bootstrap.servers: ...}}). */
    public static final String KAFKA_SECTION = "kafka";

    private Settings() {
    }

    private static String topicPrefix(final String text) {
        if (!text.matches("[a-zA-Z0-9._-]*")) {
            throw new IllegalArgumentException("topic names allow only letters, digits, '.', '_' and '-'");
        }
        return text;
    }
}
