package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.sink.SinkOutputs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {

    @Test
    void shouldReadTheDatabasePasswordFromItsVariableAndNeverShowIt() {
        final SinkOutputs outputs = SinkSettings.outputs(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags
                .none().set(Settings.SINK_CSV_DIR, "out", "--csv-dir")
                .set(Settings.SINK_JDBC_URL, "jdbc:postgresql://db:5432/billing", "--jdbc-url")
                .set(Settings.SINK_JDBC_PASSWORD_ENV, "DB_PASSWORD", "--jdbc-password-env")),
                Map.of("DB_PASSWORD", "s3cret"));

        assertThat(outputs.csvDir()).isEqualTo(Path.of("out"));
        assertThat(outputs.jdbcPassword().reveal()).isEqualTo("s3cret");
        assertThat(outputs.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldNameTheKeyAndWhereItsValueCameFrom() {
        assertThatThrownBy(() -> SinkSettings.outputs(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags
                .none().set(Settings.SINK_JDBC_PASSWORD_ENV, "NOT_SET", "--jdbc-password-env")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("sink.jdbc.passwordEnv (from flag "
                        + "--jdbc-password-env): environment variable NOT_SET is not set");
    }
}
