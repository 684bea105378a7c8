package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.run.CollectorConfigPrinter;
import io.usagepipeline.collector.config.CollectorSettings;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.rating.RaterSettings;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docker/compose.yaml cannot run here (no Docker engine), so this reads it: every usage-pipeline service runs a
 * real subcommand whose options parse, and every config it names loads, the generated collector config included.
 */
class ComposeFileTest {

    private static final Path DOCKER = Path.of("..", "docker");

    @Test
    void shouldRunRealSubcommandsWithConfigsThatLoad(@TempDir final Path shared) throws Exception {
        final JsonNode services = new YAMLMapper().readTree(DOCKER.resolve("compose.yaml").toFile()).get("services");
        assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:4.3.1");
        assertThat(services.has("postgres")).isTrue();

        final Path collectorConfig = generatedCollectorConfig(services.get("simulator"), shared);
        final List<String> commands = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            if (!service.getValue().path("image").asText().startsWith("usage-pipeline")) {
                return;
            }
            final List<String> args = new ArrayList<>();
            service.getValue().get("command").forEach(arg -> args.add(arg.asText()));
            commands.add(args.get(0));
            // options parse exactly as the container would run them
            final CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).as(service.getKey()).isTrue();
            final int config = args.indexOf("--config");
            if (config >= 0) {
                final Path file = switch (args.get(config + 1)) {
                    case "/etc/usage-pipeline/pipeline.yaml" -> DOCKER.resolve("pipeline.yaml");
                    case "/shared/collector.yaml" -> collectorConfig;
                    default -> throw new AssertionError(service.getKey() + " names an unknown config file");
                };
                final PipelineConfig loaded = PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none());
                assertThat(loaded.bootstrapServers()).as(service.getKey()).isEqualTo("kafka:9092");
                ProcessorSettings.bind(loaded, "");
                if (args.get(0).equals("rate")) {
                    RaterSettings.bind(loaded, YearMonth.now(ZoneOffset.UTC)); // the sample card prices this month
                }
            }
        });
        assertThat(commands).containsExactlyInAnyOrder("topics", "demo", "simulate", "collect", "process", "rate",
                "sink");

        final PipelineConfig printed = PipelineConfig.load(collectorConfig, Map.of(), PipelineConfig.Flags.none());
        assertThat(CollectorSettings.bind(printed).sources())
                .allSatisfy(source -> assertThat(source.baseUrl().toString()).startsWith("http://simulator:8089/"));
    }

    /** The containers' sample card is the demo's, which the README's "Rating" explains: an edit to one reaches both. */
    @Test
    void shouldPriceWithTheDemosSampleCard() throws Exception {
        final YAMLMapper yaml = new YAMLMapper();
        try (var demoCard = Main.class.getResourceAsStream("/demo-rate-card.yaml")) {
            assertThat(yaml.readTree(DOCKER.resolve("pipeline.yaml").toFile()).get("rating"))
                    .isEqualTo(yaml.readTree(demoCard).get("rating"));
        }
    }

    @Test
    void shouldBeAValidComposeFileWhoseServicesRestartAndReportReadiness() throws Exception {
        final JsonNode compose = new YAMLMapper().readTree(DOCKER.resolve("compose.yaml").toFile());
        // its relative $id resolves against where it is read from
        final JsonSchema spec = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
        assertThat(spec.validate(compose)).as("errors against the Compose Specification").isEmpty();

        final JsonNode services = compose.get("services");
        final JsonNode kafka = services.get("kafka");
        assertThat(kafka.get("volumes").get(0).asText())
                .isEqualTo("kafka-data:" + kafka.get("environment").get("KAFKA_LOG_DIRS").asText());
        services.fields().forEachRemaining(service -> {
            final JsonNode command = service.getValue().path("command");
            if (List.of("topics", "demo").contains(command.path(0).asText())) {
                return; // one-shot jobs: the topics, the simulated history
            }
            assertThat(service.getValue().path("restart").asText()).as(service.getKey()).isEqualTo("unless-stopped");
            if (command.toString().contains("--http-port")) {
                assertThat(service.getValue().path("healthcheck").path("test").toString()).as(service.getKey())
                        .contains("http://127.0.0.1:8080/ready");
                assertThat(command.toString()).as(service.getKey()).contains("\"--http-address\",\"0.0.0.0\"");
            }
        });
    }

    @Test
    void shouldCopyThePomOfEveryModuleBeforeTheSourcesSoThatDependenciesStayCached() throws Exception {
        final String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        final Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(
                Files.readString(DOCKER.resolveSibling("pom.xml")));
        int count = 0;
        while (modules.find()) {
            final String module = modules.group(1);
            assertThat(dockerfile).as("docker/Dockerfile copies %s/pom.xml", module)
                    .contains("COPY " + module + "/pom.xml " + module + "/\n");
            count++;
        }
        assertThat(count).isGreaterThan(8);
    }

    /** What the simulator service writes to /shared/collector.yaml, made here with its own arguments. */
    private static Path generatedCollectorConfig(final JsonNode simulator, final Path shared) throws Exception {
        final List<String> args = new ArrayList<>();
        simulator.get("command").forEach(arg -> args.add(arg.asText()));
        final int tenants = Integer.parseInt(args.get(args.indexOf("--tenants") + 1));
        final long seed = Long.parseLong(args.get(args.indexOf("--seed") + 1));
        try (SimulatorServer server = SimulatorServer.start(SimulatorOptions.defaults(tenants, seed,
                new VirtualClock(Instant.now(), 1, Clock.systemUTC())))) {
            return Files.writeString(shared.resolve("collector.yaml"), CollectorConfigPrinter.print(server,
                    args.get(args.indexOf("--public-url") + 1), args.get(args.indexOf("--bootstrap-servers") + 1),
                    shared.resolve("secrets")));
        }
    }
}
