package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;

/** The Kafka Streams settings the processor runs under that its behaviour depends on beyond billing. */
class StreamsSettingsTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldWaitBrieflyBetweenTheInternalTopicsItCreatesWhileItsOtherClientsKeepTheirBackOff() {
        for (final Profile profile : Profile.values()) {
            final StreamsConfig settings = settings(profile);

            // Kafka Streams' partition assignor, which creates the changelogs, reads its settings from the main
            // consumer's, and waits this long after each topic it creates
            final Map<String, Object> mainConsumer = settings.getMainConsumerConfigs("app", "client", 0);
            assertThat(new StreamsConfig(mainConsumer).getLong(StreamsConfig.RETRY_BACKOFF_MS_CONFIG))
                    .as(profile.name()).isEqualTo(10L);
            assertThat(settings.getProducerConfigs("client"))
                    .doesNotContainKey(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG);
            assertThat(settings.getRestoreConsumerConfigs("client"))
                    .doesNotContainKey(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG);
            assertThat(settings.getAdminConfigs("client"))
                    .doesNotContainKey(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG);
        }
    }

    @Test
    void shouldNotLetTheRestoreConsumersEmptyFetchesHoldUpAStartWhileTheMainConsumerKeepsItsWait() {
        for (final Profile profile : Profile.values()) {
            final StreamsConfig settings = settings(profile);

            assertThat(settings.getRestoreConsumerConfigs("client"))
                    .as(profile.name()).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
            assertThat(settings.getMainConsumerConfigs("app", "client", 0))
                    .doesNotContainKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
        }
    }

    @Test
    void shouldHearOfARebalanceWithinHalfASecondRatherThanKafkasThree() {
        for (final Profile profile : Profile.values()) {
            final StreamsConfig settings = settings(profile);

            assertThat(settings.getMainConsumerConfigs("app", "client", 0))
                    .as(profile.name()).containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
    }

    @Test
    void shouldOpenEachRocksDbStoresFilesWithOneThreadRatherThanStartingRocksDbsSixteen() {
        for (final Profile profile : Profile.values()) {
            // as Kafka Streams applies it to each RocksDB store it opens
            final RocksDBConfigSetter setter = settings(profile).getConfiguredInstance(
                    StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDBConfigSetter.class);
            try (Options options = new Options()) {
                assertThat(options.maxFileOpeningThreads()).isEqualTo(16);

                setter.setConfig("series-store", options, Map.of());

                assertThat(options.maxFileOpeningThreads()).as(profile.name()).isEqualTo(1);
                setter.close("series-store", options);
            }
        }
    }

    private StreamsConfig settings(final Profile profile) {
        return new StreamsConfig(UsageProcessor.streamsConfig("app", Map.of("bootstrap.servers", "localhost:9092"),
                stateDir, profile));
    }
}
