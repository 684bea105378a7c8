package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.processor.Profile;
import io.usagepipeline.processor.UsageProcessor;
import io.usagepipeline.rating.Rater;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka Streams applications' settings, as an operator reads their log: no warning that asks for a setting. */
class StreamsWarningsTest {

    private static final Map<String, Object> KAFKA = Map.of("bootstrap.servers", "localhost:9092");
    private static final String GLOBAL_HANDLER = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;

    @TempDir
    Path stateDir;

    @Test
    void shouldNotHaveKafkaStreamsWarnAtEveryStartThatTheGlobalThreadHasNoProcessingExceptionHandler() {
        // what Kafka Streams logs for settings that leave it out (the tests' log settings show its warnings)
        final Properties bare = new Properties();
        bare.putAll(KAFKA);
        bare.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        assertThat(loggedReading(bare)).contains(GLOBAL_HANDLER);

        for (final Profile profile : Profile.values()) {
            assertThat(loggedReading(UsageProcessor.streamsConfig("processor", KAFKA, stateDir, profile)))
                    .as(profile.name()).doesNotContain(GLOBAL_HANDLER);
        }
        assertThat(loggedReading(Rater.streamsConfig("rater", KAFKA, stateDir))).doesNotContain(GLOBAL_HANDLER);
    }

    /**
     * What was logged (slf4j-simple writes to the standard error stream of the moment) while Kafka Streams read them,
     * as it does at a start: once as given, and once more in its partition assignor, from its main consumer's settings.
     */
    private static String loggedReading(final Properties settings) {
        final PrintStream err = System.err;
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            new StreamsConfig(new StreamsConfig(settings).getMainConsumerConfigs("group", "client", 0));
        } finally {
            System.setErr(err);
        }
        return logged.toString(StandardCharsets.UTF_8);
    }
}
