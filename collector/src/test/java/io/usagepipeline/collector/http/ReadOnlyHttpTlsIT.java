package io.usagepipeline.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.runtime.Secret;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS against the simulator's self-signed HTTPS: refused by default, trusted through its PEM or pinned hash. */
@Timeout(120)
class ReadOnlyHttpTlsIT {

    @TempDir
    static Path dir;
    private static SimulatorServer simulator;
    private static URI fleet;
    private static URI token;

    @BeforeAll
    static void start() throws Exception {
        simulator = SimulatorServer.start(SimulatorOptions.defaults(3, 1,
                new VirtualClock(Instant.now(), 1, Clock.systemUTC())).withTls(dir.resolve("tls")));
        fleet = URI.create(simulator.baseUrl() + "/_sim/fleet");
        token = URI.create(simulator.baseUrl() + "/vac/token");
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void shouldRefuseASelfSignedCertificateWithAMessageThatSaysWhatToDo() throws Exception {
        final ReadOnlyHttp http = new ReadOnlyHttp("vac", token, TlsSettings.VERIFIED, Duration.ofSeconds(5));

        assertThatThrownBy(() -> http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("source vac: the certificate of localhost:" + simulator.port()
                        + " fails the chain check")
                .hasMessageContaining("tls.truststore (PEM or PKCS12)").hasMessageContaining("tls.pinSha256");
    }

    @Test
    void shouldTrustTheCertificateGivenAsPem() throws Exception {
        final ReadOnlyHttp http = new ReadOnlyHttp("vac", token,
                new TlsSettings(simulator.certificatePem(), null, false), Duration.ofSeconds(5));

        assertThat(http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldTrustThePinnedCertificateAndNoOther() throws Exception {
        final ReadOnlyHttp pinned = new ReadOnlyHttp("vac", token,
                new TlsSettings(null, simulator.certificateSha256(), false), Duration.ofSeconds(5));
        final ReadOnlyHttp wrongPin = new ReadOnlyHttp("vac", token,
                new TlsSettings(null, "00:11:22:33", false), Duration.ofSeconds(5));

        assertThat(pinned.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> wrongPin.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("fails the pin check")
                .hasMessageContaining("is not the pinned 00112233");
    }

    @Test
    void shouldLetAPinStandForTheHostNameCheck() throws Exception {
        // an appliance reached by an address its certificate does not name (it names localhost and 127.0.0.1)
        try (SimulatorServer other = SimulatorServer.start(new SimulatorOptions("127.0.0.2", 0, 1, 1,
                Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD, Duration.ofHours(1),
                new VirtualClock(Instant.now(), 1, Clock.systemUTC()), 2, false, dir.resolve("other-tls")))) {
            final URI otherFleet = URI.create("https://127.0.0.2:" + other.port() + "/_sim/fleet");
            final URI otherToken = URI.create("https://127.0.0.2:" + other.port() + "/vac/token");
            final ReadOnlyHttp byPem = new ReadOnlyHttp("vac", otherToken,
                    new TlsSettings(other.certificatePem(), null, false), Duration.ofSeconds(5));
            final ReadOnlyHttp byPin = new ReadOnlyHttp("vac", otherToken,
                    new TlsSettings(null, other.certificateSha256(), false), Duration.ofSeconds(5));

            assertThatThrownBy(() -> byPem.get(otherFleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("is trusted but fails the host name check: it does not name 127.0.0.2");
            assertThat(byPin.get(otherFleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
        }
    }

    /**
     * A source behind the provider's egress proxy: its requests go through a tunnel the proxy opens (CONNECT), and the
     * TLS inside it is still the source's, its certificate checked as without a proxy.
     */
    @Test
    void shouldReachTheSourceThroughItsProxyWithItsCertificateStillChecked() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            final URI viaProxy = URI.create("http://localhost:" + proxy.port());
            final ReadOnlyHttp trusting = new ReadOnlyHttp("vac", token,
                    new TlsSettings(simulator.certificatePem(), null, false), viaProxy, null, Duration.ofSeconds(5));
            final ReadOnlyHttp verifying = new ReadOnlyHttp("vac", token, TlsSettings.VERIFIED, viaProxy,
                    null, Duration.ofSeconds(5));

            assertThat(trusting.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
            assertThat(proxy.tunnels()).containsExactly("localhost:" + simulator.port());
            assertThatThrownBy(() -> verifying.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("fails the chain check");
        }
    }

    /**
     * A source that names no proxy follows the JVM's proxy settings (as {@code USAGE_PIPELINE_JAVA_OPTS} gives them),
     * as the README says. The simulator is on localhost, which {@code http.nonProxyHosts} leaves out by default.
     */
    @Test
    void shouldFollowTheJvmsProxySettingsWhereTheSourceNamesNoProxy() throws Exception {
        final Map<String, String> settings = new HashMap<>();
        try (ConnectProxy proxy = new ConnectProxy()) {
            for (final String[] setting : new String[][] {{"https.proxyHost", "localhost"},
                    {"https.proxyPort", String.valueOf(proxy.port())}, {"http.nonProxyHosts", ""}}) {
                settings.put(setting[0], System.getProperty(setting[0]));
                System.setProperty(setting[0], setting[1]);
            }
            final ReadOnlyHttp http = new ReadOnlyHttp("vac", token,
                    new TlsSettings(simulator.certificatePem(), null, false), Duration.ofSeconds(5));

            assertThat(http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
            assertThat(proxy.tunnels()).containsExactly("localhost:" + simulator.port());
        } finally {
            settings.forEach((name, before) -> {
                if (before == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, before);
                }
            });
        }
    }

    /**
     * A proxy that asks for an account (HTTP 407, Basic, as Squid does) is answered with the source's
     * {@code proxyAuth}, in the CONNECT only: the TLS inside the tunnel is still the source's.
     */
    @Test
    void shouldLogInToAProxyThatAsksForAnAccount() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy("svc-collector", "s3cret:pass")) {
            final URI viaProxy = URI.create("http://localhost:" + proxy.port());
            final ReadOnlyHttp http = new ReadOnlyHttp("vac", token,
                    new TlsSettings(simulator.certificatePem(), null, false), viaProxy,
                    new ProxyLogin("svc-collector", new Secret("s3cret:pass")), Duration.ofSeconds(5));

            assertThat(http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
            assertThat(proxy.tunnels()).containsExactly("localhost:" + simulator.port());
            assertThat(simulator.headersReceived()).as("the account stays with the proxy").isNotEmpty()
                    .doesNotContain("proxy-authorization");
        }
    }

    @Test
    void shouldSayWhatAProxyThatAsksForAnAccountWants() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy("svc-collector", "s3cret")) {
            final URI viaProxy = URI.create("http://localhost:" + proxy.port());
            final TlsSettings tls = new TlsSettings(simulator.certificatePem(), null, false);
            final ReadOnlyHttp none = new ReadOnlyHttp("vac", token, tls, viaProxy, null, Duration.ofSeconds(5));
            final ReadOnlyHttp wrong = new ReadOnlyHttp("vac", token, tls, viaProxy,
                    new ProxyLogin("svc-collector", new Secret("typo")), Duration.ofSeconds(5));

            assertThatThrownBy(() -> none.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                    .isInstanceOf(ProxyRefusedException.class).hasMessage("the proxy localhost:" + proxy.port()
                            + " asks for an account (HTTP 407 (Basic realm=\"egress\"), on the way to localhost:"
                            + simulator.port() + "): give the source's proxyAuth (username, and passwordEnv or "
                            + "passwordFile) beside its proxy: http://host:port");
            assertThatThrownBy(() -> wrong.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                    .isInstanceOf(ProxyRefusedException.class).hasMessage("the proxy localhost:" + proxy.port()
                            + " refused the account 'svc-collector' of the source's proxyAuth (HTTP 407, on the way to "
                            + "localhost:" + simulator.port() + "): check its username and password, and that the "
                            + "proxy takes Basic authentication");
            // the account given is offered with the first request, and not again once refused
            assertThat(proxy.refused()).containsExactly("none", "Basic " + Base64.getEncoder()
                    .encodeToString("svc-collector:typo".getBytes(StandardCharsets.UTF_8)));
            assertThat(proxy.tunnels()).isEmpty();
        }
    }

    /** A proxy that is not there is named as what refused, not the source behind it. */
    @Test
    void shouldNameTheProxyThatRefusedTheConnection() throws Exception {
        final int closed;
        try (ConnectProxy proxy = new ConnectProxy()) {
            closed = proxy.port();
        }
        final ReadOnlyHttp http = new ReadOnlyHttp("vac", token,
                new TlsSettings(simulator.certificatePem(), null, false), URI.create("http://localhost:" + closed),
                null, Duration.ofSeconds(5));

        assertThatThrownBy(() -> http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                .isInstanceOf(ConnectException.class).hasMessage("connection refused by the proxy localhost:"
                        + closed + " (on the way to localhost:" + simulator.port() + ")");
    }

    /** A proxy whose name does not resolve is named, as the one that cannot be found. */
    @Test
    void shouldNameTheProxyWhoseNameDoesNotResolve() throws Exception {
        final ReadOnlyHttp http = new ReadOnlyHttp("vac", token,
                new TlsSettings(simulator.certificatePem(), null, false), URI.create("http://egress.invalid:3128"),
                null, Duration.ofSeconds(5));

        assertThatThrownBy(() -> http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20))
                .isInstanceOf(UnknownHostException.class).hasMessage("the proxy egress.invalid:3128 cannot be found: "
                        + "its host name does not resolve (on the way to localhost:" + simulator.port() + ")");
    }

    @Test
    void shouldConnectWhenExplicitlyInsecure() throws Exception {
        final ReadOnlyHttp http = new ReadOnlyHttp("vac", token, new TlsSettings(null, null, true),
                Duration.ofSeconds(5));

        assertThat(http.get(fleet, Map.of(), Duration.ofSeconds(5), 1 << 20).statusCode()).isEqualTo(200);
    }
}
