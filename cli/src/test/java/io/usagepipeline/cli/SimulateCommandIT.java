package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.collector.config.CollectorSettings;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.processor.ProcessorSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code usage-pipeline simulate --print-config}: the printed config loads as printed and its secrets log in. */
@Timeout(600) // a hung test fails here, not at CI's limit
class SimulateCommandIT {

    @Test
    void shouldPrintAConfigWhoseSourcesAndSecretsWorkAsPrinted(@TempDir final Path dir) throws Exception {
        final int port = CliProcess.freePort();
        final Path secrets = dir.resolve("secrets");

        try (CliProcess simulator = CliProcess.start("simulate", "--port", String.valueOf(port), "--tenants", "6",
                "--seed", "3", "--print-config", "--secrets-dir", secrets.toString())) {
            simulator.awaitOutput("simulating 6 tenants at http://localhost:" + port, Duration.ofSeconds(60));
            final Path config = Files.writeString(dir.resolve("collector.yaml"), String.join("\n",
                    simulator.lines().stream().filter(line -> !line.matches("^\\d{4}-\\d{2}-\\d{2} .*")).toList()));

            // it loads with the pipeline's own config loader: no unknown key, no bad value
            final PipelineConfig loaded = PipelineConfig.load(config, Map.of(), PipelineConfig.Flags.none());
            ProcessorSettings.bind(loaded, "");
            // the mappings the collector stamps into its raw polls
            final Map<String, Source> sources = CollectorSettings.bind(loaded).sources().stream()
                    .collect(Collectors.toMap(Source::id, s -> s));
            assertThat(sources.get("vac").tenantMap()).containsEntry("1", "acme");
            assertThat(sources.get("vspc").tenantMap()).containsEntry("Globex", "globex");
            assertThat(loaded.section("collector.sources").orElseThrow()).hasSize(2 + 2 + 1 + 1);
            assertThat(Files.readString(config)).doesNotContain("pw-").doesNotContain("key-");

            // the secrets it wrote log in
            final String password = Files.readString(secrets.resolve("vac.password")).strip();
            final HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/vac/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username="
                            + URLEncoder.encode("vac\\svc-usage", StandardCharsets.UTF_8) + "&password=" + password))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(Files.getPosixFilePermissions(secrets.resolve("vspc.apikey"))).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            simulator.stop();
        }
    }

    @Test
    void shouldWriteTheConfigToTheFileItIsGivenWithoutAskingTwice(@TempDir final Path dir) throws Exception {
        final int port = CliProcess.freePort();
        final Path config = dir.resolve("collector.yaml");

        try (CliProcess simulator = CliProcess.start("simulate", "--port", String.valueOf(port), "--tenants", "6",
                "--print-config-to", config.toString(), "--secrets-dir", dir.resolve("secrets").toString())) {
            simulator.awaitOutput("simulating 6 tenants at http://localhost:" + port, Duration.ofSeconds(60));
            // the file is complete before the line that says the simulator runs
            final PipelineConfig loaded = PipelineConfig.load(config, Map.of(), PipelineConfig.Flags.none());
            assertThat(CollectorSettings.bind(loaded).sources()).hasSize(2 + 2 + 1 + 1);
            assertThat(simulator.lines()).noneMatch(line -> line.contains("collector:"));
            simulator.stop();
        }
    }

    @Test
    void shouldPrintAConfigThatTrustsTheSelfSignedCertificateWithTls(@TempDir final Path dir) throws Exception {
        final int port = CliProcess.freePort();

        try (CliProcess simulator = CliProcess.start("simulate", "--port", String.valueOf(port), "--tenants", "3",
                "--tls", "--tls-dir", dir.resolve("tls").toString(), "--print-config", "--secrets-dir",
                dir.resolve("secrets").toString())) {
            simulator.awaitOutput("simulating 3 tenants at https://localhost:" + port, Duration.ofSeconds(60));
            final List<String> printed = simulator.lines().stream()
                    .filter(line -> !line.matches("^\\d{4}-\\d{2}-\\d{2} .*")).toList();
            final Path config = Files.writeString(dir.resolve("collector.yaml"), String.join("\n", printed));

            final PipelineConfig loaded = PipelineConfig.load(config, Map.of(), PipelineConfig.Flags.none());
            final Path pem = dir.resolve("tls").resolve("simulator.pem").toAbsolutePath();
            loaded.section("collector.sources").orElseThrow().forEach(source -> {
                assertThat(source.get("baseUrl").asText()).startsWith("https://localhost:" + port + "/");
                assertThat(source.get("tls").get("truststore").asText()).isEqualTo(pem.toString());
            });
            assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(simulator.printed("serving HTTPS with a self-signed certificate")).isTrue();
            simulator.stop();
        }
    }
}
