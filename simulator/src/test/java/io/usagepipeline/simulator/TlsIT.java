package io.usagepipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls}: HTTPS with a certificate no default trust store knows, that its PEM and fingerprint identify. */
@Timeout(600) // a hung test fails here, not at CI's limit
class TlsIT {

    @Test
    void shouldBeRefusedByDefaultAndTrustedThroughItsPem(@TempDir final Path dir) throws Exception {
        try (SimulatorServer server = SimulatorServer.start(SimulatorOptions.defaults(3, 1,
                new VirtualClock(Instant.now(), 1, Clock.systemUTC())).withTls(dir))) {
            final URI fleet = URI.create(server.baseUrl() + "/_sim/fleet");
            assertThat(server.baseUrl()).startsWith("https://localhost:");

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(fleet).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);

            final Certificate certificate;
            try (InputStream in = Files.newInputStream(server.certificatePem())) {
                certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("simulator", certificate);
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            final HttpResponse<String> response = HttpClient.newBuilder().sslContext(context).build()
                    .send(HttpRequest.newBuilder(fleet).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            final String served = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest
                    .getInstance("SHA-256").digest(response.sslSession().orElseThrow().getPeerCertificates()[0]
                            .getEncoded()));
            assertThat(Files.readString(dir.resolve("simulator.sha256")).strip()).isEqualTo(served)
                    .isEqualTo(server.certificateSha256());
        }
    }
}
