package io.usagepipeline.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} (200 when healthy, else 503, with a one-line JSON
 * body) of a long-running command. Served by the JDK's own HTTP server: two read-only endpoints need no framework.
 */
final class HttpEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

    /** What /health reports. */
    record Health(boolean healthy, String state) {
    }

    private final HttpServer server;

    private HttpEndpoints(final HttpServer server) {
        this.server = server;
    }

    /** The registry of a long-running command, with JVM memory metrics bound. */
    static PrometheusMeterRegistry registry() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        return registry;
    }

    /** Serves on {@code port} when the command was given one ({@code http.port} 0 means off). */
    static Optional<HttpEndpoints> startIfEnabled(final int port, final PrometheusMeterRegistry registry,
                                                  final Supplier<Health> health) {
        return port == 0 ? Optional.empty() : Optional.of(start(port, registry, health));
    }

    /** Starts serving on {@code port} (0 picks a free one), on all interfaces so that orchestrators can probe it. */
    static HttpEndpoints start(final int port, final PrometheusMeterRegistry registry, final Supplier<Health> health) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve /metrics and /health on port " + port, e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", exchange -> {
            final Health now = health.get();
            respond(exchange, now.healthy() ? 200 : 503, "application/json",
                    "{\"status\":\"" + (now.healthy() ? "UP" : "DOWN") + "\",\"state\":\"" + now.state() + "\"}\n");
        });
        server.start();
        LOG.info("serving /metrics and /health on port {}", server.getAddress().getPort());
        return new HttpEndpoints(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
