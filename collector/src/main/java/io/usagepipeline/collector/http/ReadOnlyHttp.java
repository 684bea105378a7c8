package io.usagepipeline.collector.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    private static final int PROXY_AUTHENTICATION_REQUIRED = 407;
    /** A token answer is a few hundred bytes; anything near this is not one. */
    private static final long TOKEN_ANSWER_LIMIT = 1024 * 1024;

    private final String sourceId;
    private final URI tokenUri;
    private final HttpClient client;
    private final TlsSettings tls;
    private final ProxySelector proxies;
    private final ProxyLogin proxyLogin;

    static {
        ProxyLogin.prepareJdk(); // before this class builds the JVM's first HTTP client, where it does
    }

    /** Without a proxy of the source's own: the JVM's proxy settings, which are none unless set. */
    public ReadOnlyHttp(final String sourceId, final URI tokenUri, final TlsSettings tls,
                        final Duration connectTimeout) throws GeneralSecurityException, IOException {
        this(sourceId, tokenUri, tls, null, null, connectTimeout);
    }

    /**
     * @param tokenUri   the source's token endpoint: the one URI a POST may go to
     * @param proxy      {@code http://host:port} of the proxy every request goes through; null for the JVM's proxy
     *                   settings ({@code https.proxyHost}, {@code http.nonProxyHosts}, ...), which are none unless set
     * @param proxyLogin the account the proxy asks for; null for a proxy that asks for none
     */
    public ReadOnlyHttp(final String sourceId, final URI tokenUri, final TlsSettings tls, final URI proxy,
                        final ProxyLogin proxyLogin, final Duration connectTimeout)
            throws GeneralSecurityException, IOException {
        this.sourceId = sourceId;
        this.tokenUri = tokenUri;
        this.tls = tls;
        this.proxyLogin = proxyLogin;
        if (tls.insecure()) {
            LOG.warn("source {}: TLS certificates are NOT verified (tls.insecure: true); anyone on the path can "
                    + "read its credentials. Use tls.truststore or tls.pinSha256 instead.", sourceId);
        }
        if ("http".equals(tokenUri.getScheme()) && !loopback(tokenUri.getHost())) {
            LOG.warn("source {}: baseUrl is plain http://{}; its credentials and tokens cross the network "
                    + "unencrypted. Use https:// with tls.truststore or tls.pinSha256.", sourceId,
                    tokenUri.getAuthority());
        }
        // the source's own proxy, else the JVM's selector (what HttpClient would take anyway), kept to name the proxy
        // in an error
        this.proxies = proxy != null
                ? ProxySelector.of(InetSocketAddress.createUnresolved(proxy.getHost(), proxy.getPort()))
                : Optional.ofNullable(ProxySelector.getDefault()).orElse(HttpClient.Builder.NO_PROXY);
        this.client = HttpClient.newBuilder()
                .proxy(proxies)
                .connectTimeout(connectTimeout)
                .sslContext(TrustBuilder.context(tls))
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect could turn a GET into anything
                .build();
    }

    /** A GET whose whole exchange takes at most {@code timeout} and whose body is at most {@code maxBytes}. */
    public HttpResponse<String> get(final URI uri, final Map<String, String> headers, final Duration timeout,
                                    final long maxBytes) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.forEach(request::header);
        return send(request.build(), timeout, maxBytes);
    }

    /** The token call: a form-encoded POST to the source's token URI. */
    public HttpResponse<String> postToken(final String form, final Map<String, String> headers,
                                          final Duration timeout) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri)
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
        // send, not sendAsync: where the common pool has one thread (two cores or fewer), the JDK completes every
        // sendAsync on a thread started for it alone, which held the collector to half the polls/s of a bare loop
        // (bench). The request's timeout stops counting once the headers are in; the body gets what is left.
        final long deadline = System.nanoTime() + timeout.toNanos();
        final HttpResponse<String> response;
        try {
            final HttpRequest.Builder sent = HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout);
            if (proxyLogin != null) {
                // offered with every request rather than left to the JDK's authenticator, which would take over the
                // server's 401s too (a 401 without WWW-Authenticate, as the appliances send, fails in it); the JDK
                // moves it to the CONNECT of an https source, and keeps it out of the tunnel
                sent.setHeader("Proxy-Authorization", proxyLogin.basic());
            }
            response = client.send(sent.build(),
                    info -> new LimitedBody(maxBytes, Duration.ofNanos(deadline - System.nanoTime())));
        } catch (final IOException e) {
            throw explain(e, request.uri(), timeout);
        }
        if (response.statusCode() == PROXY_AUTHENTICATION_REQUIRED) {
            throw proxyRefused(request.uri(), response.headers().firstValue("Proxy-Authenticate")
                    .map(scheme -> " (" + scheme + ")").orElse(""));
        }
        return response;
    }

    /** A proxy's 407: the answer to a CONNECT, or to a request the proxy forwards, that had no account it takes. */
    private ProxyRefusedException proxyRefused(final URI uri, final String challenge) {
        final String proxy = proxyFor(uri).map(address -> "the proxy " + address).orElse("a proxy");
        return new ProxyRefusedException(proxyLogin == null
                ? proxy + " asks for an account (HTTP 407" + challenge + ", on the way to " + authority(uri)
                        + "): give the source's proxyAuth (username, and passwordEnv or passwordFile) beside its "
                        + "proxy: http://host:port"
                : proxy + " refused the account '" + proxyLogin.username() + "' of the source's proxyAuth (HTTP 407, "
                        + "on the way to " + authority(uri) + "): check its username and password, and that the "
                        + "proxy takes Basic authentication");
    }

    /**
     * One readable I/O failure: which host, and what went wrong with it. The JDK wraps what failed (the body's own
     * failures too) in an exception of its own: the innermost of a kind is the one that says what happened.
     */
    private IOException explain(final IOException failure, final URI uri, final Duration timeout) {
        final AnswerTooLargeException tooLarge = innermost(failure, AnswerTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge;
        }
        final HttpConnectTimeoutException connecting = innermost(failure, HttpConnectTimeoutException.class);
        if (connecting != null) {
            return connecting; // connectTimeout, not the request's
        }
        if (innermost(failure, HttpTimeoutException.class) != null
                || innermost(failure, TimeoutException.class) != null) {
            return new HttpTimeoutException("no complete answer from " + authority(uri) + " within "
                    + timeout.toMillis() + " ms");
        }
        final Optional<String> proxy = proxyFor(uri);
        if (innermost(failure, UnresolvedAddressException.class) != null) {
            // the JDK says so with a ConnectException without a message, which would read as a refused connection
            return new UnknownHostException(proxy.map(p -> "the proxy " + p + " cannot be found: its host name does "
                    + "not resolve (on the way to " + authority(uri) + ")").orElse(authority(uri) + " cannot be "
                    + "found: its host name does not resolve; check the source's baseUrl, and this host's DNS"));
        }
        final ConnectException refused = innermost(failure, ConnectException.class);
        if (refused != null) {
            // the JDK leaves a refused connection without a message; other connect failures keep theirs
            final String where = proxy.map(p -> "the proxy " + p + " (on the way to " + authority(uri) + ")")
                    .orElse(authority(uri));
            return new ConnectException(refused.getMessage() == null ? "connection refused by " + where
                    : "cannot connect to " + where + ": " + refused.getMessage());
        }
        final SSLHandshakeException handshake = innermost(failure, SSLHandshakeException.class);
        if (handshake != null) {
            return new SSLHandshakeException("source " + sourceId + ": " + TlsDiagnosis.explain(handshake, uri,
                    tls));
        }
        final Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IOException io && io.getMessage() != null) {
            return io;
        }
        return new IOException(cause.getClass().getSimpleName() + " talking to " + authority(uri)
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }

    /** The {@code host:port} of the proxy a request to {@code uri} goes through, if any. */
    private Optional<String> proxyFor(final URI uri) {
        return proxies.select(uri).stream().map(Proxy::address).filter(InetSocketAddress.class::isInstance)
                .map(address -> ((InetSocketAddress) address).getHostString() + ":"
                        + ((InetSocketAddress) address).getPort()).findFirst();
    }

    private static <T extends Throwable> T innermost(final Throwable failure, final Class<T> kind) {
        T found = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                found = kind.cast(t);
            }
        }
        return found;
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
