package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.processor.Profile;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSettingTest {

    @Test
    void shouldRunLiveUnlessAskedToReplay() {
        assertThat(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()).get(Settings.PROCESSOR_PROFILE))
                .isEqualTo(Profile.LIVE);
        assertThat(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(Settings.PROCESSOR_PROFILE, "replay", "--profile")).get(Settings.PROCESSOR_PROFILE))
                .isEqualTo(Profile.REPLAY);
    }

    @Test
    void shouldNameTheKeyOfAnUnknownProfile() {
        assertThatThrownBy(() -> PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(Settings.PROCESSOR_PROFILE, "fast", "--profile")).get(Settings.PROCESSOR_PROFILE))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("processor.profile = 'fast' (from flag "
                        + "--profile)").hasMessageContaining("LIVE or REPLAY");
    }
}
