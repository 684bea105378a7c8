package io.usagepipeline.collector.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the collector talks to a Veeam appliance. It can send GET requests, and POST to the one token URI of
 * its source, and nothing else: revoke, delete or finalize calls change what Veeam bills, and a collector must never
 * make them, whatever a bug elsewhere asks for. Every exchange is bounded as a whole, body included, so a server that
 * sends its answer a byte at a time costs one request its timeout, never the collector its progress.
 */
public final class ReadOnlyHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyHttp.class);
    /** A token answer is a few hundred bytes; anything near this is not one. */
    private static final long TOKEN_ANSWER_LIMIT = 1024 * 1024;

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
        if ("http".equals(tokenUri.getScheme()) && !loopback(tokenUri.getHost())) {
            LOG.warn("source {}: baseUrl is plain http://{}; its credentials and tokens cross the network "
                    + "unencrypted. Use https:// with tls.truststore or tls.pinSha256.", sourceId,
                    tokenUri.getAuthority());
        }
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .sslContext(TrustBuilder.context(tls))
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect could turn a GET into anything
                .build();
    }

    /** A GET whose whole exchange takes at most {@code timeout} and whose body is at most {@code maxBytes}. */
    public HttpResponse<String> get(final URI uri, final Map<String, String> headers, final Duration timeout,
                                    final long maxBytes) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        headers.forEach(request::header);
        return send(request.build(), timeout, maxBytes);
    }

    /** The token call: a form-encoded POST to the source's token URI. */
    public HttpResponse<String> postToken(final String form, final Map<String, String> headers,
                                          final Duration timeout) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return send(request.build(), timeout, TOKEN_ANSWER_LIMIT);
    }

    /** Sends a request if, and only if, it is a GET or the token POST. */
    public HttpResponse<String> send(final HttpRequest request, final Duration timeout, final long maxBytes)
            throws IOException, InterruptedException {
        final boolean allowed = request.method().equals("GET")
                || (request.method().equals("POST") && request.uri().equals(tokenUri));
        if (!allowed) {
            throw new ForbiddenRequestException("source " + sourceId + ": the collector only reads; refusing "
                    + request.method() + " " + request.uri());
        }
        // HttpRequest.timeout stops counting once the headers are in: the future bounds the body too
        final CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request,
                info -> new LimitedBody(maxBytes));
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer from " + authority(request.uri()) + " within "
                    + timeout.toMillis() + " ms");
        } catch (final InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (final ExecutionException e) {
            throw explain(e.getCause(), request.uri());
        }
    }

    /** One readable I/O failure: which host, and what went wrong with it. */
    private IOException explain(final Throwable cause, final URI uri) {
        if (cause instanceof AnswerTooLargeException || cause instanceof HttpTimeoutException) {
            return (IOException) cause;
        }
        if (cause instanceof ConnectException) {
            // the JDK leaves a refused connection without a message; other connect failures keep theirs
            return new ConnectException(cause.getMessage() == null ? "connection refused by " + authority(uri)
                    : "cannot connect to " + authority(uri) + ": " + cause.getMessage());
        }
        if (cause instanceof SSLHandshakeException) {
            return new SSLHandshakeException("source " + sourceId + ": " + TlsDiagnosis.explain(cause, uri, tls));
        }
        if (cause instanceof IOException io) {
            return io.getMessage() == null ? new IOException(cause.getClass().getSimpleName() + " talking to "
                    + authority(uri), cause) : io;
        }
        return new IOException(cause.getClass().getSimpleName() + " talking to " + authority(uri) + ": "
                + cause.getMessage(), cause);
    }

    /** Whether two URIs share scheme, host and port: where a request may carry the other's token. */
    public static boolean sameOrigin(final URI a, final URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    static String authority(final URI uri) {
        return uri.getHost() + ":" + port(uri);
    }

    private static int port(final URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean loopback(final String host) {
        final String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost")) {
            return true;
        }
        try {
            return (name.matches("[0-9.]+") || name.contains(":")) && InetAddress.getByName(name).isLoopbackAddress();
        } catch (final IOException e) {
            return false;
        }
    }

    /** A request the collector must never send. */
    public static final class ForbiddenRequestException extends IllegalStateException {
        public ForbiddenRequestException(final String message) {
            super(message);
        }
    }
}
