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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a proxy or a single sign-on in front of a VSPC answers in place of the API: a redirect to a login page, or the
 * login page itself with 200. The poll fails saying what it met, at once, rather than "HTTP 302" with the start of an
 * HTML page, or "an unreadable body" after five attempts at the same page.
 */
class ProxyAnswersTest {

    private static final String LOGIN_PAGE = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            + "<title>\n  Sign in to your account\n</title></head><body>...</body></html>";

    private final AtomicInteger pageRequests = new AtomicInteger();
    private HttpServer proxy;

    @BeforeEach
    void start() throws IOException {
        proxy = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        proxy.createContext("/sso/api/v3/licensing/backupServers", exchange -> {
            exchange.getResponseHeaders().set("Location", "https://login.example/tenant/oauth2/authorize?"
                    + "client_id=vspc&state=s3cr3t");
            answer(exchange, 302, "<html><body>Object moved</body></html>");
        });
        proxy.createContext("/page/api/v3/licensing/backupServers", exchange -> {
            pageRequests.incrementAndGet();
            answer(exchange, 200, LOGIN_PAGE);
        });
        proxy.start();
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
    }

    @Test
    void shouldNameTheRedirectWithoutItsQuery() throws Exception {
        final RawPoll poll = poll("/sso");

        assertThat(poll.status()).isEqualTo(PollStatus.FAILED);
        assertThat(poll.error().httpStatus()).isEqualTo(302);
        assertThat(poll.error().message()).isEqualTo("vspc /api/v3/licensing/backupServers?offset=0&limit=100: "
                + "HTTP 302 redirected to https://login.example/tenant/oauth2/authorize, which the collector does not "
                + "follow: give that address as the source's baseUrl if it is the appliance's, or have the proxy in "
                + "front of it pass the API through");
    }

    @Test
    void shouldNameALoginPageByItsTitleAndNotAskForItAgain() throws Exception {
        final RawPoll poll = poll("/page");

        assertThat(poll.status()).isEqualTo(PollStatus.FAILED);
        assertThat(poll.error().kind()).isEqualTo("MALFORMED_ANSWER");
        assertThat(poll.error().message()).isEqualTo("vspc /api/v3/licensing/backupServers?offset=0&limit=100: "
                + "HTTP 200 with an HTML page ('Sign in to your account') where the API answers JSON: a login or "
                + "error page of a proxy in front of the appliance?");
        assertThat(pageRequests).as("the same page next time: asked once").hasValue(1);
    }

    private RawPoll poll(final String path) throws Exception {
        final Source source = new Source("vspc", SourceKind.VSPC, URI.create("http://localhost:"
                + proxy.getAddress().getPort() + path), null, null, Map.of(), Map.of(), false, null, null,
                new Secret("api-key"), TlsSettings.VERIFIED, null, PageSizes.DEFAULT);
        return new Poller(source, PollSettings.DEFAULTS, Clock.systemUTC())
                .poll(new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), Instant.parse("2026-03-10T10:00:00Z"));
    }
}
