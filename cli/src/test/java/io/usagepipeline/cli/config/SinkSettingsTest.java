package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.sink.SinkOutputs;
import io.usagepipeline.sink.SinkSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {

    @Test
    void shouldReadTheDatabasePasswordFromItsVariableAndNeverShowIt() {
        final SinkOutputs outputs = SinkSettings.bind(PipelineConfig.load(null, Map.of("DB_PASSWORD", "s3cret"),
                PipelineConfig.Flags.none().set(SinkSettings.CSV_DIR, "out", "--csv-dir")
                        .set(SinkSettings.JDBC_URL, "jdbc:postgresql://db:5432/billing", "--jdbc-url")
                        .set(SinkSettings.JDBC_USER, "billing", "--jdbc-user")
                        .set(SinkSettings.JDBC_PASSWORD_ENV, "DB_PASSWORD", "--jdbc-password-env"))).outputs();

        assertThat(outputs.csvDir()).isEqualTo(Path.of("out"));
        assertThat(outputs.jdbcPassword().reveal()).isEqualTo("s3cret");
        assertThat(outputs.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldRefuseAPasswordInTheDatabaseUrlWithoutRepeatingIt() {
        assertThatThrownBy(() -> SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(SinkSettings.JDBC_URL, "jdbc:postgresql://db:5432/billing?user=billing&Password=s3cret",
                        "--jdbc-url"))))
                .isInstanceOf(ConfigException.class).hasMessage("sink.jdbc.url (from flag --jdbc-url): the URL holds "
                        + "a password, which messages naming the database would show: give it with "
                        + "sink.jdbc.passwordEnv or sink.jdbc.passwordFile (--jdbc-password-env, --jdbc-password-file) "
                        + "instead");
        // a database or user whose name merely contains the word is no password
        assertThat(SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none().set(
                SinkSettings.JDBC_URL, "jdbc:postgresql://db/password_vault?user=passwordless", "--jdbc-url")))
                .outputs().jdbcUrl()).isEqualTo("jdbc:postgresql://db/password_vault?user=passwordless");
    }

    /** Without one, PostgreSQL refuses the connection after the start, in its own words about a startup packet. */
    @Test
    void shouldRequireADatabaseUserWithTheDatabase() {
        assertThatThrownBy(() -> SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(SinkSettings.JDBC_URL, "jdbc:postgresql://db:5432/billing", "--jdbc-url"))))
                .isInstanceOf(ConfigException.class).hasMessage("sink.jdbc.user: the database user is required with "
                        + "sink.jdbc.url: give it (--jdbc-user), or user= in the URL");
        assertThat(SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none().set(
                SinkSettings.JDBC_URL, "jdbc:postgresql://db:5432/billing?ssl=true&User=billing", "--jdbc-url")))
                .outputs().jdbcUser()).isEmpty();
        assertThat(SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none().set(
                SinkSettings.JDBC_URL, "jdbc:postgresql://?service=billing", "--jdbc-url"))).outputs().jdbcUser())
                .as("pg_service.conf may name the user").isEmpty();
        assertThat(SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(SinkSettings.CSV_DIR, "out", "--csv-dir"))).outputs().jdbcUrl()).as("no database, no user")
                .isEmpty();
    }

    @Test
    void shouldNameTheKeyAndWhereItsValueCameFrom() {
        assertThatThrownBy(() -> SinkSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags
                .none().set(SinkSettings.JDBC_PASSWORD_ENV, "NOT_SET", "--jdbc-password-env"))))
                .isInstanceOf(ConfigException.class).hasMessage("sink.jdbc.passwordEnv (from flag "
                        + "--jdbc-password-env): environment variable NOT_SET is not set");
    }
}
