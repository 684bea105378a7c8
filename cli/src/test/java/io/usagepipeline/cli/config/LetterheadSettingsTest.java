package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.report.Letterhead;
import io.usagepipeline.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LetterheadSettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheIssuerAndTheCustomersNamesAndLetTheEnvironmentNameTheIssuer() throws Exception {
        final Letterhead letterhead = LetterheadSettings.bind(PipelineConfig.load(config("""
                statements:
                  issuer: Contoso Cloud Backup
                  customers:
                    acme: " ACME Corporation "
                    "tenant 7": Seven & Sons
                """), Map.of("USAGE_PIPELINE_STATEMENTS_ISSUER_DETAILS", "billing@contoso.example"),
                PipelineConfig.Flags.none()));

        assertThat(letterhead).isEqualTo(new Letterhead("Contoso Cloud Backup", "billing@contoso.example",
                Map.of("acme", "ACME Corporation", "tenant 7", "Seven & Sons")));
        assertThat(letterhead.customer("globex")).as("a tenant not named keeps its id").isEqualTo("globex");
        assertThat(LetterheadSettings.bind(PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none())))
                .isEqualTo(Letterhead.NONE);
    }

    @Test
    void shouldNameTheKeyOfABadCustomerName() {
        assertThatThrownBy(() -> LetterheadSettings.bind(PipelineConfig.load(config("""
                statements:
                  customers: [acme, globex]
                """), Map.of(), PipelineConfig.Flags.none())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("statements.customers: expected a mapping of tenant ids to names");
        assertThatThrownBy(() -> LetterheadSettings.bind(PipelineConfig.load(config("""
                statements:
                  customers: { acme: "" }
                """), Map.of(), PipelineConfig.Flags.none())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("statements.customers.acme: expected the customer's name");
    }

    private Path config(final String text) throws Exception {
        return Files.writeString(dir.resolve("pipeline.yaml"), text);
    }
}
