package io.usagepipeline.collector.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the collector talks to a Veeam appliance. It can send GET requests, and POST to the one token URI of
 * its source, and nothing else: revoke, delete or finalize calls change what Veeam bills, and a collector must never
 * make them, whatever a bug elsewhere asks for.
 */
public final class ReadOnlyHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyHttp.class);

    private final String sourceId;
    private final URI tokenUri;
    private final HttpClient client;
    private final TlsSettings tls;

    /**
     * @param tokenUri the source's token endpoint: the one URI a POST may go to
     */
    public ReadOnlyHttp(final String sourceId, final URI tokenUri, final TlsSettings tls,
                        final Duration connectTimeout) throws GeneralSecurityException, IOException {
        this.sourceId = sourceId;
        this.tokenUri = tokenUri;
        this.tls = tls;
        if (tls.insecure()) {
            LOG.warn("source {}: TLS certificates are NOT verified (tls.insecure: true); anyone on the path can "
                    + "read its credentials. Use tls.truststore or tls.pinSha256 instead.", sourceId);
        }
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .sslContext(TrustBuilder.context(tls))
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect could turn a GET into anything
                .build();
    }

    public HttpResponse<String> get(final URI uri, final Map<String, String> headers, final Duration timeout)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        headers.forEach(request::header);
        return send(request.build());
    }

    /** The token call: a form-encoded POST to the source's token URI. */
    public HttpResponse<String> postToken(final String form, final Map<String, String> headers,
                                          final Duration timeout) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Sends a request if, and only if, it is a GET or the token POST. */
    public HttpResponse<String> send(final HttpRequest request) throws IOException, InterruptedException {
        final boolean allowed = request.method().equals("GET")
                || (request.method().equals("POST") && request.uri().equals(tokenUri));
        if (!allowed) {
            throw new ForbiddenRequestException("source " + sourceId + ": the collector only reads; refusing "
                    + request.method() + " " + request.uri());
        }
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final SSLHandshakeException e) {
            throw new SSLHandshakeException("source " + sourceId + ": the TLS certificate of " + request.uri()
                    .getHost() + ":" + request.uri().getPort() + " is not trusted (" + e.getMessage() + "). "
                    + (tls.truststore() != null || tls.pinSha256() != null
                    ? "It does not match tls." + (tls.truststore() != null ? "truststore" : "pinSha256") + "."
                    : "Give the appliance's certificate as tls.truststore (PEM or PKCS12) or its SHA-256 as "
                    + "tls.pinSha256."));
        }
    }

    /** A request the collector must never send. */
    public static final class ForbiddenRequestException extends IllegalStateException {
        public ForbiddenRequestException(final String message) {
            super(message);
        }
    }
}
