package io.usagepipeline.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No method other than GET, and no POST except to the token URI, can leave the collector; every exchange is bounded
 * in time and size, and a refused connection names its host.
 */
class ReadOnlyHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long LIMIT = 1 << 20;

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private ReadOnlyHttp http;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/slow", exchange -> {
            // headers at once, then a byte every 200 ms: a slow-loris answer
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('[');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (final InterruptedException | IOException e) {
                // the client gave up: that is the point
            }
        });
        server.createContext("/large", exchange -> {
            final byte[] body = new byte[(int) (2 * LIMIT)];
            Arrays.fill(body, (byte) ' ');
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (final IOException e) {
                // the client stopped reading past its limit
            }
        });
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

        assertThatThrownBy(() -> http.send(request, TIMEOUT, LIMIT)).isInstanceOf(ReadOnlyHttp.ForbiddenRequestException.class)
                .hasMessageContaining("refusing " + method);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldRefuseAPostAnywhereButTheTokenUri() {
        final HttpRequest finalize = HttpRequest.newBuilder(URI.create(base + "/api/v3/licensing/reports/finalization"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        final HttpRequest revoke = HttpRequest.newBuilder(URI.create(base + "/api/v1/token?revoke=1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        assertThatThrownBy(() -> http.send(finalize, TIMEOUT, LIMIT)).isInstanceOf(ReadOnlyHttp.ForbiddenRequestException.class);
        assertThatThrownBy(() -> http.send(revoke, TIMEOUT, LIMIT)).isInstanceOf(ReadOnlyHttp.ForbiddenRequestException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldSendGetsAndTheTokenPost() throws Exception {
        http.get(URI.create(base + "/api/v1/licensing/licensedWorkloads"), Map.of("x-api-version", "1.0-rev0"),
                TIMEOUT, LIMIT);
        http.postToken("grant_type=password", Map.of(), Duration.ofSeconds(5));

        assertThat(received).containsExactly("GET /api/v1/licensing/licensedWorkloads", "POST /api/v1/token");
    }

    @Test
    void shouldBoundTheWholeExchangeBodyIncluded() {
        final long started = System.nanoTime();

        assertThatThrownBy(() -> http.get(URI.create(base + "/slow"), Map.of(), Duration.ofSeconds(1), LIMIT))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessage("no complete answer from localhost:" + server.getAddress().getPort() + " within 1000 ms");
        // the body would take 20 s; the bound is the request's, with room for a loaded machine
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldNotStartAThreadForEveryRequest() throws Exception {
        final URI uri = URI.create(base + "/api/v1/licensing/licensedWorkloads");
        http.get(uri, Map.of(), TIMEOUT, LIMIT); // the client's and the server's own threads start here
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long started = threads.getTotalStartedThreadCount();

        for (int i = 0; i < 50; i++) {
            http.get(uri, Map.of(), TIMEOUT, LIMIT);
        }

        // HttpClient.sendAsync, used before, completed each request on a new thread where the common pool has one
        // (two cores or fewer, as on the build machine), and the collector made half the requests a bare loop did
        assertThat(threads.getTotalStartedThreadCount() - started).isLessThan(10);
    }

    @Test
    void shouldStopReadingAnAnswerLargerThanTheLimit() {
        assertThatThrownBy(() -> http.get(URI.create(base + "/large"), Map.of(), TIMEOUT, LIMIT))
                .isInstanceOf(AnswerTooLargeException.class)
                .hasMessage("the answer is larger than the " + LIMIT + " bytes the poll may still hold");
    }

    @Test
    void shouldNameTheHostThatRefusedTheConnection() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> http.get(URI.create("http://localhost:" + closedPort + "/x"), Map.of(), TIMEOUT,
                LIMIT)).isInstanceOf(ConnectException.class)
                .hasMessage("connection refused by localhost:" + closedPort);
    }

    /** A name that does not resolve is no refused connection: the fix is in DNS or baseUrl, not a firewall. */
    @Test
    void shouldSayThatAHostNameDoesNotResolve() {
        // .invalid never resolves (RFC 6761), with or without a network
        assertThatThrownBy(() -> http.get(URI.create("https://vbaz.globex.invalid/api/v1/token"), Map.of(), TIMEOUT,
                LIMIT)).isInstanceOf(UnknownHostException.class)
                .hasMessage("vbaz.globex.invalid:443 cannot be found: its host name does not resolve; check the "
                        + "source's baseUrl, and this host's DNS");
    }

    @Test
    void shouldNotAcceptTwoWaysOfTrustAtOnce() {
        assertThatThrownBy(() -> new TlsSettings(java.nio.file.Path.of("a.pem"), "AB:CD", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most one");
    }
}
