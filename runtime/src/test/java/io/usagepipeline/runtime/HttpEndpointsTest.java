package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints are small and local: GET and HEAD on exactly their paths, with the truth in their status. */
class HttpEndpointsTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, Health> health = new LinkedHashMap<>();
    private HttpEndpoints endpoints;

    @BeforeEach
    void start() {
        health.put("processor", Health.ready("RUNNING"));
        endpoints = HttpEndpoints.start("127.0.0.1", 0, Runner.registry(), () -> health);
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    @Test
    void shouldTellHealthAndReadinessApart() throws Exception {
        assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/ready").statusCode()).isEqualTo(200);

        health.put("sink", Health.starting("STARTING", "checking its outputs"));
        assertThat(send("GET", "/health").statusCode()).as("starting is not down").isEqualTo(200);
        final HttpResponse<String> notReady = send("GET", "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("{\"status\":\"NOT_READY\",\"services\":["
                + "{\"name\":\"processor\",\"up\":true,\"ready\":true,\"state\":\"RUNNING\",\"reason\":\"\"},"
                + "{\"name\":\"sink\",\"up\":true,\"ready\":false,\"state\":\"STARTING\","
                + "\"reason\":\"checking its outputs\"}]}\n");

        health.put("sink", Health.down("RUNNING", "Kafka has not answered for 20 s (\"timeout\")"));
        final HttpResponse<String> down = send("GET", "/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).startsWith("{\"status\":\"DOWN\"")
                .contains("\"reason\":\"Kafka has not answered for 20 s (\\\"timeout\\\")\"");
    }

    @Test
    void shouldAnswerGetAndHeadOnTheirPaths() throws Exception {
        final HttpResponse<String> metrics = send("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        final HttpResponse<String> head = send("HEAD", "/health");
        assertThat(head.statusCode()).isEqualTo(200);
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
        assertThat(send("DELETE", "/ready").statusCode()).isEqualTo(405);
    }

    @Test
    void shouldListenOnlyWhereTold() {
        assertThat(endpoints.address().isLoopbackAddress()).isTrue();
        try (HttpEndpoints everywhere = HttpEndpoints.start("0.0.0.0", 0, Runner.registry(), () -> health)) {
            assertThat(everywhere.address().isAnyLocalAddress()).isTrue();
        }
    }

    private HttpResponse<String> send(final String method, final String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
