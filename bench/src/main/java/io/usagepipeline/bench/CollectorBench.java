package io.usagepipeline.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.collector.Collector;
import io.usagepipeline.collector.CollectorMetrics;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.collector.config.PageSizes;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.collector.poll.PollSettings;
import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.runtime.Secret;
import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One collector slot of many VAC tenants (two polls each) against the local simulator, published to Kafka, beside a
 * bare HttpClient GET loop over the same URLs with the same concurrency: what the collector's paging checks,
 * retries, serialization and publishing cost over the HTTP requests themselves. Each is measured on its second
 * round, after one that warms up the JIT and its connections.
 */
final class CollectorBench {

    /** Polls per second of the collector and of the bare loop, and the slot's outcome. */
    record Result(int polls, double barePerSecond, double collectorPerSecond, double slotSeconds, int complete,
                  int failed) {
    }

    /** The slots polled: the one before the current one unmeasured, then the current one. */
    private static final Duration SLOT = Duration.ofMinutes(15);

    private CollectorBench() {
    }

    static Result run(final String bootstrap, final String prefix, final int vacTenants, final int concurrency)
            throws Exception {
        final VirtualClock clock = new VirtualClock(Instant.now(), 1, Clock.systemUTC());
        // every other tenant of the fleet is a VAC tenant
        try (SimulatorServer simulator = SimulatorServer.start(new SimulatorOptions("localhost", 0, 2 * vacTenants,
                1, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD, Duration.ofHours(1), clock, 8, false, null))) {
            final Credentials credentials = simulator.credentials("vac");
            final Source vac = new Source("vac", SourceKind.VAC, URI.create(simulator.baseUrl() + "/vac"), null, null,
                    simulator.vacTenants(), Map.of(), false, credentials.username(),
                    new Secret(credentials.password()), null, TlsSettings.VERIFIED, null,
                    PageSizes.DEFAULT);
            final Poller poller = new Poller(vac, PollSettings.DEFAULTS, clock);
            final List<Poller.Target> targets = poller.targets(clock.instant());

            bareGetsPerSecond(simulator, credentials, targets, concurrency); // warm-up: JIT, connections, simulator
            final double bare = bareGetsPerSecond(simulator, credentials, targets, concurrency);
            try (RawPublisher publisher = new RawPublisher(Map.of("bootstrap.servers", bootstrap), prefix);
                 Collector collector = new Collector(List.of(poller), publisher,
                         new CollectorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()), clock, concurrency)) {
                final Instant slotStart = Collector.slotStart(clock.instant(), SLOT);
                // warm-up, as the bare loop had: the JIT, the logins, the producer's connections and metadata
                collector.pollSlot(slotStart.minus(SLOT), Duration.ZERO);
                final long started = System.nanoTime();
                final Collector.SlotResult slot = collector.pollSlot(slotStart, Duration.ZERO);
                final double seconds = (System.nanoTime() - started) / 1e9;
                return new Result(targets.size(), bare, targets.size() / seconds, seconds, slot.complete(),
                        slot.failed());
            }
        }
    }

    /** The same GETs with a plain HttpClient: one login, no paging logic, no retries, no Kafka. */
    private static double bareGetsPerSecond(final SimulatorServer simulator, final Credentials credentials,
                                            final List<Poller.Target> targets, final int concurrency)
            throws Exception {
        final HttpClient client = HttpClient.newHttpClient();
        final String token = Json.mapper().readTree(client.send(HttpRequest.newBuilder(
                        URI.create(simulator.baseUrl() + "/vac/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username="
                        + URLEncoder.encode(credentials.username(), StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(credentials.password(), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        final ExecutorService executor = Executors.newFixedThreadPool(concurrency);
        try {
            final long started = System.nanoTime();
            final List<Future<Integer>> answers = new ArrayList<>();
            for (final Poller.Target target : targets) {
                answers.add(executor.submit(() -> client.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
                                + "/vac/v2/tenants/" + target.scope() + "/licensing/" + target.endpoint().wireName()))
                        .header("Authorization", "Bearer " + token).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()));
            }
            for (final Future<Integer> answer : answers) {
                answer.get();
            }
            return targets.size() / ((System.nanoTime() - started) / 1e9);
        } finally {
            executor.shutdownNow();
        }
    }
}
