package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.cli.run.CollectorConfigPrinter;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health that tells the truth, for each long-running command from the shaded jar: {@code /health} goes 503, saying
 * why, once Kafka has not answered for the bound, and back to 200 when it returns; {@code process} against a Kafka
 * that never answers says so in a few lines and exits 1 within its bound. The test owns its broker, since it stops it.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class HealthIT {

    private static final String PREFIX = "health.";
    private static final Map<String, String> FIVE_SECONDS = Map.of("USAGE_PIPELINE_HEALTH_UNREACHABLE_AFTER", "PT5S");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldGoDownWhileTheBrokerIsStoppedAndUpAgainWhenItReturns(@TempDir final Path dir) throws Exception {
        final int port = CliProcess.freePort();
        final Path data = dir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(port).dataDir(data).build().start();
        final String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(2, 3,
                     new VirtualClock(Instant.now(), 1, Clock.systemUTC())))) {
            new TopicProvisioner(admin, PREFIX, 3, 0).ensureAll();
            final Path config = Files.writeString(dir.resolve("collector.yaml"),
                    CollectorConfigPrinter.print(simulator, bootstrap, dir.resolve("secrets")));
            final Map<String, Integer> ports = new LinkedHashMap<>();
            for (final String command : List.of("process", "sink", "collect")) {
                ports.put(command, CliProcess.freePort());
            }
            try (CliProcess process = CliProcess.start(FIVE_SECONDS, "process", "--bootstrap-servers", bootstrap,
                    "--prefix", PREFIX, "--state-dir", dir.resolve("state").toString(), "--application-id",
                    "health-it", "--http-port", String.valueOf(ports.get("process")));
                 CliProcess sink = CliProcess.start(FIVE_SECONDS, "sink", "--bootstrap-servers", bootstrap,
                         "--prefix", PREFIX, "--csv-dir", dir.resolve("out").toString(), "--http-port",
                         String.valueOf(ports.get("sink")));
                 CliProcess collect = CliProcess.start(FIVE_SECONDS, "collect", "--config", config.toString(),
                         "--prefix", PREFIX, "--http-port", String.valueOf(ports.get("collect")))) {
                for (final int http : ports.values()) {
                    await().atMost(Duration.ofSeconds(120)).until(() -> status(http, "/ready") == 200);
                    assertThat(status(http, "/health")).isEqualTo(200);
                }

                broker.stop();
                for (final Map.Entry<String, Integer> command : ports.entrySet()) {
                    await(command.getKey()).atMost(Duration.ofSeconds(60))
                            .until(() -> status(command.getValue(), "/health") == 503);
                    assertThat(body(command.getValue(), "/health")).contains("Kafka has not answered for");
                }

                broker = EmbeddedKafkaBroker.builder().port(port).dataDir(data).build().start();
                for (final Map.Entry<String, Integer> command : ports.entrySet()) {
                    await(command.getKey()).atMost(Duration.ofSeconds(120))
                            .until(() -> status(command.getValue(), "/health") == 200);
                }
                assertThat(List.of(process, sink, collect)).allMatch(CliProcess::isAlive);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void shouldStopTheProcessorWithExitCodeOneWhenKafkaNeverAnswers(@TempDir final Path dir) throws Exception {
        final String nobody = "127.0.0.1:" + CliProcess.freePort();
        final long started = System.nanoTime();
        try (CliProcess process = CliProcess.start(Map.of("USAGE_PIPELINE_PROCESSOR_KAFKA_TIMEOUT", "PT10S"),
                "process", "--bootstrap-servers", nobody, "--state-dir", dir.resolve("state").toString())) {
            assertThat(process.awaitExit(Duration.ofSeconds(120))).isEqualTo(ExitCodes.FAILED);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));
            // said once at start and once when health goes down, with what a connection there found; not by each
            // Kafka client every second
            assertThat(process.lines()).anyMatch(line -> line.contains("Kafka at " + nobody
                    + " did not answer within 5 s (nothing listens at " + nobody + " (connection refused))"));
            assertThat(process.lines()).anyMatch(line -> line.contains("processor is DOWN: Kafka has not answered for")
                    && line.contains("(nothing listens at " + nobody + " (connection refused))"));
            assertThat(process.lines()).noneMatch(line -> line.contains("NetworkClient"));
        }
    }

    private int status(final int port, final String path) {
        try {
            return get(port, path).statusCode();
        } catch (final IOException e) {
            return -1; // not listening yet
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String body(final int port, final String path) throws Exception {
        return get(port, path).body();
    }

    private HttpResponse<String> get(final int port, final String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
