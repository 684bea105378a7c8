package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.collector.config.CollectorSettings;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {

    @TempDir
    Path dir;

    @Nested
    class Precedence {

        @Test
        void shouldLetTheEnvironmentOverrideTheFileAndFlagsOverrideBoth() throws IOException {
            final Path file = yaml("topics: { prefix: file., partitions: 3 }\nkafka: { bootstrap.servers: file:9092 }\n");
            final Map<String, String> env = Map.of(
                    "USAGE_PIPELINE_TOPICS_PREFIX", "env.",
                    "KAFKA_BOOTSTRAP_SERVERS", "env:9092");

            final PipelineConfig fileOnly = PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none());
            final PipelineConfig withEnv = PipelineConfig.load(file, env, PipelineConfig.Flags.none());
            final PipelineConfig withFlags = PipelineConfig.load(file, env, PipelineConfig.Flags.none()
                    .set(Settings.TOPICS_PREFIX, "flag.", "--prefix")
                    .kafka("bootstrap.servers", "flag:9092", "--bootstrap-servers"));

            assertThat(fileOnly.get(Settings.TOPICS_PREFIX)).isEqualTo("file.");
            assertThat(fileOnly.bootstrapServers()).isEqualTo("file:9092");
            assertThat(withEnv.get(Settings.TOPICS_PREFIX)).isEqualTo("env.");
            assertThat(withEnv.bootstrapServers()).isEqualTo("env:9092");
            assertThat(withEnv.origin(Settings.TOPICS_PREFIX))
                    .isEqualTo("environment variable USAGE_PIPELINE_TOPICS_PREFIX");
            assertThat(withFlags.get(Settings.TOPICS_PREFIX)).isEqualTo("flag.");
            assertThat(withFlags.bootstrapServers()).isEqualTo("flag:9092");
            // untouched by env and flags, so the file's value stands
            assertThat(withFlags.get(Settings.TOPICS_PARTITIONS)).isEqualTo(3);
        }

        @Test
        void shouldUseDefaultsWhenNothingIsConfigured() {
            final PipelineConfig config = PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none());

            assertThat(config.get(Settings.TOPICS_PREFIX)).isEmpty();
            assertThat(config.get(Settings.TOPICS_PARTITIONS)).isEqualTo(6);
            assertThat(config.get(CollectorSettings.POLL_INTERVAL)).isEqualTo(Duration.ofMinutes(15));
            assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(config.origin(Settings.TOPICS_PARTITIONS)).isEqualTo("the default");
        }

        @Test
        void shouldMapKafkaEnvironmentVariablesToClientProperties() {
            final PipelineConfig config = PipelineConfig.load(null, Map.of(
                    "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                    "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "KAFKA_HOME", "/opt/kafka",
                    "KAFKA_HEAP_OPTS", "-Xmx1g"), PipelineConfig.Flags.none());

            assertThat(config.kafkaProperties())
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .doesNotContainKeys("home", "heap.opts");
        }

        @Test
        void shouldReadNestedAndDottedKafkaKeysAlike() throws IOException {
            final Path file = yaml("kafka:\n  bootstrap:\n    servers: a:1\n  security.protocol: SSL\n");

            assertThat(PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none()).kafkaProperties())
                    .containsEntry("bootstrap.servers", "a:1")
                    .containsEntry("security.protocol", "SSL");
        }

        /** The JAAS line from a mounted secret file: Kafka's file config provider reads it where the clients start. */
        @Test
        void shouldLeaveAKafkaPropertyFromASecretFileToKafkasConfigProvider() throws IOException {
            final Path secrets = Files.writeString(dir.resolve("kafka-client.properties"),
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"billing\" password=\"s3cret\";\n");
            final Path file = yaml("kafka:\n  bootstrap.servers: a:1\n  config.providers: file\n"
                    + "  config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider\n"
                    + "  sasl.jaas.config: \"${file:" + secrets + ":sasl.jaas.config}\"\n");

            final Map<String, Object> kafka = PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none())
                    .kafkaProperties();

            assertThat(kafka).as("the password is not read into our config")
                    .containsEntry("sasl.jaas.config", "${file:" + secrets + ":sasl.jaas.config}");
            assertThat(new AdminClientConfig(kafka).getPassword("sasl.jaas.config").value()).isEqualTo(
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"billing\" "
                            + "password=\"s3cret\";");
        }

        @Test
        void shouldKeepStructuredSectionsForTheirOwner() throws IOException {
            final Path file = yaml("collector:\n  pollInterval: PT5M\n  sources:\n    - { id: aws-acme, kind: VBA_AWS }\n");

            final PipelineConfig config = PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none());

            assertThat(config.get(CollectorSettings.POLL_INTERVAL)).isEqualTo(Duration.ofMinutes(5));
            assertThat(config.section("collector.sources")).get()
                    .satisfies(node -> assertThat(node.get(0).get("id").asText()).isEqualTo("aws-acme"));
        }
    }

    @Nested
    class Errors {

        @Test
        void shouldNameTheKeyTheValueAndItsOriginForABadValue() {
            assertThatThrownBy(() -> PipelineConfig.load(null,
                    Map.of("USAGE_PIPELINE_TOPICS_PARTITIONS", "many"), PipelineConfig.Flags.none()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("topics.partitions = 'many' (from environment variable "
                            + "USAGE_PIPELINE_TOPICS_PARTITIONS): not a whole number; expected a whole number "
                            + "from 1 to 10000");
        }

        @Test
        void shouldCheckEverySettingAtLoadNotWhenFirstUsed() throws IOException {
            final Path file = yaml("collector: { pollInterval: 15 minutes }\n");

            assertThatThrownBy(() -> PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("collector.pollInterval = '15 minutes' (from config file " + file + ")")
                    .hasMessageContaining("ISO-8601");
        }

        @Test
        void shouldRejectAnUnknownKeyInTheFile() throws IOException {
            final Path file = yaml("topics: { partiton: 3 }\n");

            assertThatThrownBy(() -> PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("unknown key 'topics.partiton'")
                    .hasMessageContaining("topics.partitions");
        }

        @Test
        void shouldRejectAMissingFileAndInvalidYaml() throws IOException {
            final Path missing = dir.resolve("nope.yaml");
            final Path broken = yaml("topics: [unclosed\n");

            assertThatThrownBy(() -> PipelineConfig.load(missing, Map.of(), PipelineConfig.Flags.none()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml does not exist");
            assertThatThrownBy(() -> PipelineConfig.load(broken, Map.of(), PipelineConfig.Flags.none()))
                    .isInstanceOf(ConfigException.class).hasMessage("config file " + broken + " is not valid YAML: "
                            + "line 2, column 1: expected ',' or ']', but got <stream end> (while parsing a flow "
                            + "sequence)");
            final Path tabbed = yaml("kafka:\n\tbootstrap.servers: localhost:9092\n");
            assertThatThrownBy(() -> PipelineConfig.load(tabbed, Map.of(), PipelineConfig.Flags.none()))
                    .as("one line, where SnakeYAML's own message takes five").hasMessage("config file " + tabbed
                            + " is not valid YAML: line 2, column 1: found character '\\t(TAB)' that cannot start "
                            + "any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
        }

        /** A tenant's terms added below those it had would silently replace them: a key given twice is refused. */
        @Test
        void shouldRefuseAKeyGivenTwice() throws IOException {
            final Path twice = yaml("""
                    rating:
                      tenants:
                        acme: { card: standard, discountPercent: 10 }
                        globex: { card: standard }
                        acme: { card: standard }
                    """);

            assertThatThrownBy(() -> PipelineConfig.load(twice, Map.of(), PipelineConfig.Flags.none()))
                    .isInstanceOf(ConfigException.class).hasMessage("config file " + twice + " is not valid YAML: "
                            + "line 5, column 9: rating.tenants.acme is given twice");
        }

        @Test
        void shouldNameTheKeyOfADirectoryThatCannotBeMade() throws IOException {
            final Path file = Files.writeString(dir.resolve("state"), "not a directory");
            final PipelineConfig config = PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                    .set(ProcessorSettings.STATE_DIR, file.resolve("processor"), "--state-dir"));

            assertThatThrownBy(() -> config.directory(ProcessorSettings.STATE_DIR))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("processor.stateDir = '" + file.resolve("processor")
                            + "' (from flag --state-dir): cannot make the directory (");
        }

        @Test
        void shouldRejectABadFlagValueNamingTheFlag() {
            assertThatThrownBy(() -> PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                    .set(Settings.TOPICS_PREFIX, "prod/", "--prefix")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("topics.prefix = 'prod/' (from flag --prefix)");
        }
    }

    @Test
    void shouldMakeAMissingDirectoryWithItsParents() {
        final Path state = dir.resolve("deploy").resolve("processor-state");
        final PipelineConfig config = PipelineConfig.load(null, Map.of("USAGE_PIPELINE_PROCESSOR_STATE_DIR",
                state.toString()), PipelineConfig.Flags.none());

        assertThat(config.directory(ProcessorSettings.STATE_DIR)).isEqualTo(state).isDirectory();
        assertThat(config.directory(ProcessorSettings.STATE_DIR)).as("made already: no error").isDirectory();
    }

    @Test
    void shouldDeriveEnvironmentVariableNamesFromPaths() {
        assertThat(Settings.TOPICS_REPLICATION_FACTOR.envName()).isEqualTo("USAGE_PIPELINE_TOPICS_REPLICATION_FACTOR");
        assertThat(CollectorSettings.POLL_INTERVAL.envName()).isEqualTo("USAGE_PIPELINE_COLLECTOR_POLL_INTERVAL");
    }

    private Path yaml(final String text) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), text);
    }
}
