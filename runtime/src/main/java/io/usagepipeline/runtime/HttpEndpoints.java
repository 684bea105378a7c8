package io.usagepipeline.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (Prometheus text format), {@code /health} (200 while every service is up, else 503) and
 * {@code /ready} (200 once every service is ready, else 503), each with a one-line JSON body naming every service's
 * state and, when it is not ready, why. Served by the JDK's own HTTP server: three read-only endpoints need no
 * framework. They answer GET and HEAD on exactly these paths (the JDK server routes by prefix, so the path is checked
 * here), on the address the runner is given (loopback unless configured: metrics name every source and tenant).
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;

    private HttpEndpoints(final HttpServer server) {
        this.server = server;
    }

    /** Starts serving on {@code address}:{@code port} (port 0 picks a free one). */
    public static HttpEndpoints start(final String address, final int port, final PrometheusMeterRegistry registry,
                                      final Supplier<Map<String, Health>> health) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve /metrics and /health on " + address + ":" + port + ": "
                    + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> {
            if (allowed(exchange, "/metrics")) {
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        server.createContext("/health", exchange -> {
            if (allowed(exchange, "/health")) {
                final Map<String, Health> now = health.get();
                final boolean up = now.values().stream().allMatch(Health::up);
                respond(exchange, up ? 200 : 503, "application/json", body(up ? "UP" : "DOWN", now));
            }
        });
        server.createContext("/ready", exchange -> {
            if (allowed(exchange, "/ready")) {
                final Map<String, Health> now = health.get();
                final boolean ready = now.values().stream().allMatch(Health::ready);
                respond(exchange, ready ? 200 : 503, "application/json", body(ready ? "READY" : "NOT_READY", now));
            }
        });
        server.createContext("/", exchange -> respond(exchange, 404, TEXT, "not found\n"));
        server.start();
        LOG.info("serving /metrics, /health and /ready on {}:{}", address, server.getAddress().getPort());
        return new HttpEndpoints(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetAddress address() {
        return server.getAddress().getAddress();
    }

    /** {@code {"status":"UP","services":[{"name":"sink","up":true,"ready":true,"state":"RUNNING","reason":""}]}} */
    private static String body(final String status, final Map<String, Health> services) {
        final StringBuilder json = new StringBuilder("{\"status\":\"").append(status).append("\",\"services\":[");
        String separator = "";
        for (final Map.Entry<String, Health> service : services.entrySet()) {
            final Health health = service.getValue();
            json.append(separator).append("{\"name\":").append(quote(service.getKey()))
                    .append(",\"up\":").append(health.up()).append(",\"ready\":").append(health.ready())
                    .append(",\"state\":").append(quote(health.state()))
                    .append(",\"reason\":").append(quote(health.reason())).append('}');
            separator = ",";
        }
        return json.append("]}\n").toString();
    }

    /** A JSON string: quotes, backslashes and control characters escaped (reasons quote exception messages). */
    private static String quote(final String text) {
        final StringBuilder quoted = new StringBuilder("\"");
        for (final char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** True for GET or HEAD on exactly {@code path}; answers anything else with 404 or 405 itself. */
    private static boolean allowed(final HttpExchange exchange, final String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            respond(exchange, 404, TEXT, "not found\n");
            return false;
        }
        final String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, 405, TEXT, "only GET and HEAD\n");
            return false;
        }
        return true;
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
