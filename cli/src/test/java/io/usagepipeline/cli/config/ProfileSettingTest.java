package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.runtime.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ProfileSettingTest {

    @Test
    void shouldRunLiveUnlessAskedToReplay() {
        assertThat(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()).get(ProcessorSettings.PROFILE))
                .isEqualTo(Profile.LIVE);
        assertThat(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(ProcessorSettings.PROFILE, "replay", "--profile")).get(ProcessorSettings.PROFILE))
                .isEqualTo(Profile.REPLAY);
    }

    @Test
    void shouldNameTheKeyOfAnUnknownProfile() {
        assertThatThrownBy(() -> PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(ProcessorSettings.PROFILE, "fast", "--profile")).get(ProcessorSettings.PROFILE))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("processor.profile = 'fast' (from flag "
                        + "--profile): not a profile; expected LIVE or REPLAY");
    }

    @Test
    void shouldRunOneStreamThreadLiveAndOnePerCoreReplayingUnlessTold() {
        final Map<String, Object> kafka = Map.of("bootstrap.servers", "localhost:9092");
        final int cores = Runtime.getRuntime().availableProcessors();
        assertThat(threads(Map.of(), kafka, "live")).isEqualTo(1);
        assertThat(threads(Map.of(), kafka, "replay")).isEqualTo(cores);
        assertThat(threads(Map.of("USAGE_PIPELINE_PROCESSOR_STREAM_THREADS", "3"), kafka, "replay")).isEqualTo(3);
        assertThat(threads(Map.of("USAGE_PIPELINE_PROCESSOR_STREAM_THREADS", "3"), kafka, "live")).isEqualTo(3);
        final ProcessorSettings replaying = ProcessorSettings.bind(PipelineConfig.load(null,
                Map.of("USAGE_PIPELINE_PROCESSOR_STREAM_THREADS", "4"), PipelineConfig.Flags.none()), "");
        assertThat(replaying.replayStreamsConfig("replay-1", kafka, Path.of("state"))
                .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(4);
        assertThat(ProcessorSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()), "")
                .replayStreamsConfig("replay-1", kafka, Path.of("state"))
                .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(cores);
    }

    @Test
    void shouldNameTheKeyOfANegativeThreadCount() {
        assertThatThrownBy(() -> PipelineConfig.load(null, Map.of("USAGE_PIPELINE_PROCESSOR_STREAM_THREADS", "-1"),
                PipelineConfig.Flags.none()).get(ProcessorSettings.STREAM_THREADS))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.streamThreads = '-1' (from environment variable "
                        + "USAGE_PIPELINE_PROCESSOR_STREAM_THREADS)");
    }

    private static Object threads(final Map<String, String> env, final Map<String, Object> kafka,
                                  final String profile) {
        return ProcessorSettings.bind(PipelineConfig.load(null, env, PipelineConfig.Flags.none()
                .set(ProcessorSettings.PROFILE, profile, "--profile")), "").streamsConfig(kafka)
                .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
    }
}
