package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.runtime.config.ConfigException;
import java.util.Map;
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
                        + "--profile)").hasMessageContaining("LIVE or REPLAY");
    }
}
