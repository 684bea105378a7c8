package io.usagepipeline.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} (200 when healthy, else 503, with a one-line JSON
 * body) of a long-running command. Served by the JDK's own HTTP server: two read-only endpoints need no framework.
 * They answer GET and HEAD on exactly these paths (the JDK server routes by prefix, so the path is checked here), on
 * the loopback address unless another is configured: metrics say which tenants exist.
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

    /** Serves on {@code http.address}:{@code http.port} when the command was given a port (0 means off). */
    static Optional<HttpEndpoints> startIfEnabled(final PipelineConfig config, final PrometheusMeterRegistry registry,
                                                  final Supplier<Health> health) {
        final int port = config.get(Settings.HTTP_PORT);
        return port == 0 ? Optional.empty()
                : Optional.of(start(config.get(Settings.HTTP_ADDRESS), port, registry, health));
    }

    /** Starts serving on {@code address}:{@code port} (port 0 picks a free one). */
    static HttpEndpoints start(final String address, final int port, final PrometheusMeterRegistry registry,
                               final Supplier<Health> health) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve /metrics and /health on " + address + ":" + port, e);
        }
        server.createContext("/metrics", exchange -> {
            if (allowed(exchange, "/metrics")) {
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        server.createContext("/health", exchange -> {
            if (allowed(exchange, "/health")) {
                final Health now = health.get();
                respond(exchange, now.healthy() ? 200 : 503, "application/json", "{\"status\":\""
                        + (now.healthy() ? "UP" : "DOWN") + "\",\"state\":\"" + now.state() + "\"}\n");
            }
        });
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8", "not found\n"));
        server.start();
        LOG.info("serving /metrics and /health on {}:{}", address, server.getAddress().getPort());
        return new HttpEndpoints(server);
    }

    /** True for GET or HEAD on exactly {@code path}; answers anything else with 404 or 405 itself. */
    private static boolean allowed(final HttpExchange exchange, final String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            return false;
        }
        final String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
            return false;
        }
        return true;
    }

    int port() {
        return server.getAddress().getPort();
    }

    InetAddress address() {
        return server.getAddress().getAddress();
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1); // the headers of a GET, no body
            exchange.close();
            return;
        }
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
