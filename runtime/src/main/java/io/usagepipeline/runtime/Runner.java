package io.usagepipeline.runtime;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command's services: starts them in order, serves {@code /metrics}, {@code /health} and {@code /ready},
 * waits until a signal (Ctrl-C, SIGTERM) or until a service ends by itself, then stops them in reverse order, each
 * within the close timeout. It owns the process's one shutdown hook, which only asks the runner to stop and waits
 * until it has: every service is closed by the thread that started it.
 */
public final class Runner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    private static final long CHECK_MS = 200;
    /** How often services are asked how far behind they are. */
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);

    /**
     * Where the HTTP endpoints listen.
     *
     * @param port 0: no endpoints
     */
    public record Endpoints(String address, int port) {
        public static final Endpoints NONE = new Endpoints("127.0.0.1", 0);
    }

    private final List<Service> services;
    private final PrometheusMeterRegistry registry;
    private final Endpoints endpoints;
    private final Duration closeTimeout;
    /** Read by the endpoints' threads while the runner starts them. */
    private final List<Service> started = new CopyOnWriteArrayList<>();
    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "usage-pipeline-shutdown");
    private HttpEndpoints http;

    public Runner(final List<Service> services, final PrometheusMeterRegistry registry, final Endpoints endpoints,
                  final Duration closeTimeout) {
        this.services = List.copyOf(services);
        this.registry = registry;
        this.endpoints = endpoints;
        this.closeTimeout = closeTimeout;
    }

    /** The registry of a long-running command, with JVM memory metrics bound. */
    public static PrometheusMeterRegistry registry() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        return registry;
    }

    /** Starts, waits for the end, stops: the whole life of a command's services; returns the exit code. */
    public static int run(final List<Service> services, final PrometheusMeterRegistry registry,
                          final Endpoints endpoints, final Duration closeTimeout) throws Exception {
        try (Runner runner = new Runner(services, registry, endpoints, closeTimeout)) {
            runner.start();
            return runner.awaitEnd();
        }
    }

    /**
     * Installs the shutdown hook, serves the endpoints and starts every service in order. When one cannot start,
     * it throws; {@link #close()} then stops those already started.
     */
    public void start() throws Exception {
        Runtime.getRuntime().addShutdownHook(hook);
        if (endpoints.port() > 0) {
            http = HttpEndpoints.start(endpoints.address(), endpoints.port(), registry, this::health);
        }
        for (final Service service : services) {
            service.start();
            started.add(service);
        }
    }

    /**
     * Blocks until a signal arrives (exit code 0) or a service ends by itself (its exit code; when several have, the
     * first failure's).
     */
    public int awaitEnd() throws InterruptedException {
        final Map<String, Boolean> wasUp = new HashMap<>();
        final Map<String, BacklogLog> backlogs = new HashMap<>();
        long backlogsAskedAt = System.nanoTime();
        while (!signalled.await(CHECK_MS, TimeUnit.MILLISECONDS)) {
            reportChanges(wasUp);
            final long now = System.nanoTime();
            if (now - backlogsAskedAt >= BACKLOG_EVERY.toNanos()) { // a Kafka Streams client's metrics are many
                backlogsAskedAt = now;
                for (final Service service : started) {
                    backlogs.computeIfAbsent(service.name(), BacklogLog::new).next(service.backlog(), now)
                            .ifPresent(LOG::info);
                }
            }
            final Optional<Service> failed = started.stream()
                    .filter(service -> service.ended().orElse(0) != ExitCodes.OK).findFirst();
            final Optional<Service> done = failed.isPresent() ? failed
                    : started.stream().filter(service -> service.ended().isPresent()).findFirst();
            if (done.isPresent()) {
                final int code = done.get().ended().orElseThrow();
                LOG.info("{} ended by itself (exit code {}){}", done.get().name(), code,
                        code == ExitCodes.OK ? "" : ": " + done.get().health().reason());
                return code;
            }
        }
        LOG.info("stopping: asked to by a signal");
        return ExitCodes.OK;
    }

    /** One line when a service goes down, and one when it is up again: the console of a service is its log. */
    private void reportChanges(final Map<String, Boolean> wasUp) {
        for (final Service service : started) {
            final Health health = service.health();
            final Boolean before = wasUp.put(service.name(), health.up());
            if (!health.up() && !Boolean.FALSE.equals(before)) {
                LOG.warn("{} is DOWN: {}", service.name(), health.reason());
            } else if (health.up() && Boolean.FALSE.equals(before)) {
                LOG.info("{} is up again ({})", service.name(), health.state());
            }
        }
    }

    /** Every started service's health, by name, in start order. */
    public Map<String, Health> health() {
        final Map<String, Health> health = new LinkedHashMap<>();
        for (final Service service : services) {
            health.put(service.name(), started.contains(service) ? service.health()
                    : Health.starting("STARTING", "not started yet"));
        }
        return health;
    }

    /** Stops the started services in reverse order, each within the close timeout, then the endpoints. */
    @Override
    public void close() {
        try {
            for (int i = started.size() - 1; i >= 0; i--) {
                final Service service = started.get(i);
                try {
                    service.stop(closeTimeout);
                } catch (final Exception e) {
                    LOG.warn("stopping {}: {}", service.name(), e.toString());
                }
            }
            if (http != null) {
                http.close();
            }
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is shutting down: the hook is running and waits for this close
            }
        }
    }

    private void onSignal() {
        signalled.countDown();
        try {
            // the services close on the thread that runs them; the JVM must not exit before they have
            closed.await(closeTimeout.multipliedBy(services.size() + 1L).toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
