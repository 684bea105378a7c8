package io.usagepipeline.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No method other than GET, and no POST except to the token URI, can leave the collector. */
class ReadOnlyHttpTest {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private ReadOnlyHttp http;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        base = "http://localhost:" + server.getAddress().getPort();
        http = new ReadOnlyHttp("test", URI.create(base + "/api/v1/token"), TlsSettings.VERIFIED,
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"})
    void shouldRefuseEveryWritingOrUnusualMethod(final String method) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/license/resources"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();

        assertThatThrownBy(() -> http.send(request)).isInstanceOf(ReadOnlyHttp.ForbiddenRequestException.class)
                .hasMessageContaining("refusing " + method);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldRefuseAPostAnywhereButTheTokenUri() {
        final HttpRequest finalize = HttpRequest.newBuilder(URI.create(base + "/api/v3/licensing/reports/finalization"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        final HttpRequest revoke = HttpRequest.newBuilder(URI.create(base + "/api/v1/token?revoke=1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        assertThatThrownBy(() -> http.send(finalize)).isInstanceOf(ReadOnlyHttp.ForbiddenRequestException.class);
        assertThatThrownBy(() -> http.send(revoke)).isInstanceOf(ReadOnlyHttp.ForbiddenRequestException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldSendGetsAndTheTokenPost() throws Exception {
        http.get(URI.create(base + "/api/v1/licensing/licensedWorkloads"), Map.of("x-api-version", "1.0-rev0"),
                Duration.ofSeconds(5));
        http.postToken("grant_type=password", Map.of(), Duration.ofSeconds(5));

        assertThat(received).containsExactly("GET /api/v1/licensing/licensedWorkloads", "POST /api/v1/token");
    }

    @Test
    void shouldNotAcceptTwoWaysOfTrustAtOnce() {
        assertThatThrownBy(() -> new TlsSettings(java.nio.file.Path.of("a.pem"), "AB:CD", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most one");
    }
}
