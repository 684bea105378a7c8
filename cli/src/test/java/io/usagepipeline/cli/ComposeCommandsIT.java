package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.runtime.ExitCodes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of every usage-pipeline service in {@code docker/compose.yaml}, run exactly as written from the
 * shaded jar, with only the container's addresses and paths mapped to this machine's: the topics job ends with 0,
 * the history job fills Kafka with three simulated days, the simulator writes the collector config, the collector,
 * processor, rater and sink report ready, and FINAL records of the history and rolling totals of the live polls reach the
 * sink's files within minutes. This is as far as a machine without a Docker engine can run the compose file.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class ComposeCommandsIT {

    private static final Path DOCKER = Path.of("..", "docker");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldRunEveryServiceAsTheComposeFileWritesIt(@TempDir final Path dir) throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
             EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            final Map<String, String> container = new LinkedHashMap<>();
            final int simulatorPort = CliProcess.freePort();
            container.put("http://simulator:8089", "http://127.0.0.1:" + simulatorPort);
            container.put("8089", String.valueOf(simulatorPort));
            container.put("kafka:9092", kafka.bootstrapServers());
            container.put("/etc/usage-pipeline/pipeline.yaml", pipelineConfig(dir, kafka, postgres).toString());
            container.put("/shared", dir.resolve("shared").toString());
            container.put("/var/lib/usage-pipeline/state", dir.resolve("state").toString());
            container.put("/var/lib/usage-pipeline/history", dir.resolve("history").toString());
            // volumes exist before their containers start; here the processor and the rater share one, and Kafka
            // Streams refuses to start when another process creates its state dir between its check and its mkdirs
            for (final String volume : List.of("shared", "state", "history")) {
                Files.createDirectories(dir.resolve(volume));
            }

            final JsonNode compose = new YAMLMapper().readTree(DOCKER.resolve("compose.yaml").toFile())
                    .get("services");
            for (final String job : List.of("topics", "history")) {
                try (CliProcess process = CliProcess.start(args(compose.get(job), container))) {
                    assertThat(process.awaitExit(Duration.ofSeconds(240))).as(job).isEqualTo(ExitCodes.OK);
                }
            }
            final List<CliProcess> running = new ArrayList<>();
            try {
                running.add(CliProcess.start(args(compose.get("simulator"), container)));
                await().atMost(Duration.ofSeconds(60)).failFast(running.get(0)::assertAlive)
                        .until(() -> Files.exists(dir.resolve("shared/collector.yaml")));
                final Map<String, Service> services = new LinkedHashMap<>();
                for (final String name : List.of("collector", "processor", "rater", "sink")) {
                    final int port = CliProcess.freePort();
                    final Map<String, String> mapped = new LinkedHashMap<>(container);
                    mapped.put("8080", String.valueOf(port));
                    final Service service = new Service(CliProcess.start(args(compose.get(name), mapped)), port);
                    services.put(name, service);
                    running.add(service.process());
                }
                for (final Map.Entry<String, Service> service : services.entrySet()) {
                    // one that ends fails at once with its last lines; one that stays not ready, with its last answer
                    await(service.getKey()).atMost(Duration.ofSeconds(180))
                            .failFast(service.getValue().process()::assertAlive)
                            .untilAsserted(() -> assertThat(ready(service.getValue().port())).startsWith("200 "));
                }
                // the history's closed days reach the sink's files as FINAL records within minutes, and the live
                // polls as rolling totals
                final Path twoDaysAgo = dir.resolve("out/day/" + LocalDate.now(ZoneOffset.UTC).minusDays(2) + ".csv");
                await("FINAL records in the sink's files").atMost(Duration.ofSeconds(240))
                        .failFast(() -> running.forEach(CliProcess::assertAlive)).until(() ->
                        Files.exists(twoDaysAgo) && Files.readString(twoDaysAgo).contains(",FINAL,1,"));
                await("rolling totals in the sink's files").atMost(Duration.ofSeconds(240))
                        .failFast(() -> running.forEach(CliProcess::assertAlive)).until(() ->
                        Files.exists(dir.resolve("out/open-totals.csv"))
                                && Files.readAllLines(dir.resolve("out/open-totals.csv")).size() > 1);
                running.forEach(CliProcess::assertAlive);
            } finally {
                running.forEach(CliProcess::close);
            }
        }
    }

    /** A started service and the port of its endpoints. */
    private record Service(CliProcess process, int port) {
    }

    /** The service's command with the container's addresses and paths mapped to this machine's. */
    private static String[] args(final JsonNode service, final Map<String, String> container) {
        final List<String> args = new ArrayList<>();
        service.get("command").forEach(arg -> {
            String text = arg.asText();
            for (final Map.Entry<String, String> mapping : container.entrySet()) {
                if (text.equals(mapping.getKey()) || text.startsWith(mapping.getKey() + "/")) {
                    text = mapping.getValue() + text.substring(mapping.getKey().length());
                }
            }
            args.add(text);
        });
        return args.toArray(String[]::new);
    }

    /** docker/pipeline.yaml with Kafka, the output directory and PostgreSQL of this machine. */
    private static Path pipelineConfig(final Path dir, final EmbeddedKafkaBroker kafka,
                                       final EmbeddedPostgres postgres) throws IOException {
        final Path password = Files.writeString(dir.resolve("db_password"), "postgres");
        final String config = Files.readString(DOCKER.resolve("pipeline.yaml"))
                .replace("kafka:9092", kafka.bootstrapServers())
                .replace("/var/lib/usage-pipeline/out", dir.resolve("out").toString())
                .replace("jdbc:postgresql://postgres:5432/billing", postgres.getJdbcUrl("postgres", "postgres"))
                .replace("user: billing", "user: postgres")
                .replace("/run/secrets/db_password", password.toString());
        return Files.writeString(dir.resolve("pipeline.yaml"), config);
    }

    /** The status code and body of {@code /ready}, or why there was no answer. */
    private String ready(final int port) {
        try {
            final HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ready.statusCode() + " " + ready.body();
        } catch (final IOException e) {
            return "no answer: " + e;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
