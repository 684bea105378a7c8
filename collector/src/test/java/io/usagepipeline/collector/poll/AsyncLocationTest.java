package io.usagepipeline.collector.poll;

import static io.usagepipeline.collector.poll.Exchanges.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.usagepipeline.collector.config.PageSizes;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.runtime.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A VSPC 202 is followed with the source's bearer token only on the source's own origin, and behind a reverse proxy's
 * path where VSPC, which knows nothing of the proxy, answers its own.
 */
class AsyncLocationTest {

    private static final String SERVERS_PAGE = "{\"meta\":{\"pagingInfo\":{\"total\":1,\"count\":1,\"offset\":0}},"
            + "\"data\":[{\"backupServerUid\":\"b-1\",\"licenseType\":\"Rental\"}]}";

    private final List<String> foreignRequests = new CopyOnWriteArrayList<>();
    private final List<String> gatewayRequests = new CopyOnWriteArrayList<>();
    private HttpServer vspc;
    private HttpServer foreign;

    @BeforeEach
    void start() throws IOException {
        foreign = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        foreign.createContext("/", exchange -> {
            foreignRequests.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst(
                    "Authorization"));
            answer(exchange, 200, "{\"data\":{\"status\":\"succeed\"}}");
        });
        foreign.start();
        vspc = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        vspc.createContext("/api/v3/licensing/backupServers", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://localhost:" + foreign.getAddress().getPort()
                    + "/api/v3/asyncActions/1");
            answer(exchange, 202, "{\"data\":{\"status\":\"running\"}}");
        });
        // a reverse proxy serving VSPC under /gateway/vspc, which passes VSPC's own Location through unchanged
        vspc.createContext("/gateway/vspc/api/v3/licensing/backupServers", exchange -> {
            gatewayRequests.add(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("Location", "/api/v3/asyncActions/2");
            answer(exchange, 202, "{\"data\":{\"status\":\"running\"}}");
        });
        vspc.createContext("/gateway/vspc/api/v3/asyncActions/2", exchange -> {
            gatewayRequests.add(exchange.getRequestURI().getPath());
            answer(exchange, 200, exchange.getRequestURI().getPath().endsWith("/result") ? SERVERS_PAGE
                    : "{\"data\":{\"status\":\"succeed\"}}");
        });
        vspc.createContext("/api/v3/asyncActions", exchange -> {
            gatewayRequests.add(exchange.getRequestURI().getPath());
            answer(exchange, 404, "{\"errors\":[{\"message\":\"not here\"}]}");
        });
        vspc.start();
    }

    @AfterEach
    void stop() {
        vspc.stop(0);
        foreign.stop(0);
    }

    @Test
    void shouldFailThePollRatherThanSendTheTokenToAnotherHost() throws Exception {
        final Source source = new Source("vspc", SourceKind.VSPC, URI.create("http://localhost:"
                + vspc.getAddress().getPort()), null, null, Map.of(), Map.of(), false, null, null,
                new Secret("api-key"), TlsSettings.VERIFIED, null, PageSizes.DEFAULT);

        final RawPoll poll = new Poller(source, PollSettings.DEFAULTS, Clock.systemUTC())
                .poll(new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), Instant.parse("2026-03-10T10:00:00Z"));

        assertThat(poll.status()).isEqualTo(PollStatus.FAILED);
        assertThat(poll.error().kind()).isEqualTo("FOREIGN_LOCATION");
        assertThat(poll.error().message()).contains("is not on the source's origin http://localhost:"
                + vspc.getAddress().getPort());
        assertThat(foreignRequests).isEmpty();
    }

    @Test
    void shouldFollowVspcsOwnLocationUnderTheReverseProxysPath() throws Exception {
        final String origin = "http://localhost:" + vspc.getAddress().getPort();
        final Source source = new Source("vspc", SourceKind.VSPC, URI.create(origin + "/gateway/vspc"), null, null,
                Map.of(), Map.of(), false, null, null, new Secret("api-key"), TlsSettings.VERIFIED, null,
                PageSizes.DEFAULT);

        final RawPoll poll = new Poller(source, PollSettings.DEFAULTS, Clock.systemUTC())
                .poll(new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), Instant.parse("2026-03-10T10:00:00Z"));

        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.itemCount()).isEqualTo(1);
        assertThat(poll.pages()).hasSize(1);
        assertThat(gatewayRequests).containsExactly("/gateway/vspc/api/v3/licensing/backupServers",
                "/gateway/vspc/api/v3/asyncActions/2", "/gateway/vspc/api/v3/asyncActions/2/result");
    }
}
