package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metrics endpoint is small and local: GET and HEAD on exactly its paths, on the loopback address. */
class HttpEndpointsTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpEndpoints endpoints;

    @BeforeEach
    void start() {
        endpoints = HttpEndpoints.start("127.0.0.1", 0, HttpEndpoints.registry(),
                () -> new HttpEndpoints.Health(false, "REBALANCING"));
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    @Test
    void shouldAnswerGetAndHeadOnTheirPaths() throws Exception {
        final HttpResponse<String> metrics = send("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        final HttpResponse<String> health = send("GET", "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).isEqualTo("{\"status\":\"DOWN\",\"state\":\"REBALANCING\"}\n");
        final HttpResponse<String> head = send("HEAD", "/health");
        assertThat(head.statusCode()).isEqualTo(503);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void shouldRefuseOtherPathsAndMethods() throws Exception {
        assertThat(send("GET", "/metricsfoo").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/health/deep").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        final HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send("DELETE", "/health").statusCode()).isEqualTo(405);
    }

    @Test
    void shouldListenOnTheLoopbackAddressUnlessTold() throws Exception {
        final int port = CliProcess.freePort();
        final PipelineConfig config = PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(Settings.HTTP_PORT, port, "--http-port"));
        try (HttpEndpoints local = HttpEndpoints.startIfEnabled(config, HttpEndpoints.registry(),
                () -> new HttpEndpoints.Health(true, "RUNNING")).orElseThrow()) {
            assertThat(local.address().isLoopbackAddress()).isTrue();
        }
        final PipelineConfig everywhere = PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .set(Settings.HTTP_PORT, port, "--http-port").set(Settings.HTTP_ADDRESS, "0.0.0.0", "--http-address"));
        try (HttpEndpoints all = HttpEndpoints.startIfEnabled(everywhere, HttpEndpoints.registry(),
                () -> new HttpEndpoints.Health(true, "RUNNING")).orElseThrow()) {
            assertThat(all.address().isAnyLocalAddress()).isTrue();
        }
    }

    private HttpResponse<String> send(final String method, final String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
