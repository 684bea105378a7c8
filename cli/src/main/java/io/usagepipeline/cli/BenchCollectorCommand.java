package io.usagepipeline.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.collector.Collector;
import io.usagepipeline.collector.CollectorMetrics;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.collector.config.Secret;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.collector.poll.PollSettings;
import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.io.PrintWriter;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-collector", mixinStandardHelpOptions = true,
        description = {
                "Measures one collector slot of many VAC tenants (two polls each) against the local simulator, "
                        + "publishing to an embedded Kafka, beside a bare HttpClient GET loop over the same URLs "
                        + "with the same concurrency, in one run."})
public final class BenchCollectorCommand implements Callable<Integer> {

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "2000",
            description = "VAC tenants (polls per slot: 2 N). Default: ${DEFAULT-VALUE}.")
    int vacTenants;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "32",
            description = "Requests in flight. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final VirtualClock clock = new VirtualClock(Instant.now(), 1, Clock.systemUTC());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
             SimulatorServer simulator = SimulatorServer.start(new SimulatorOptions("localhost", 0, 2 * vacTenants,
                     1, io.usagepipeline.simulator.Fleet.Dialect.DOCUMENTED,
                     io.usagepipeline.simulator.Fleet.Dialect.FIELD, Duration.ofHours(1), clock, 8, false, null));
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicProvisioner(admin, "", 6, 0).ensureAll();
            final Credentials credentials = simulator.credentials("vac");
            final Source vac = new Source("vac", SourceKind.VAC, URI.create(simulator.baseUrl() + "/vac"), null, null,
                    simulator.vacTenants(), Map.of(), false, credentials.username(),
                    new Secret(credentials.password()), null, TlsSettings.VERIFIED, null);
            final Poller poller = new Poller(vac, PollSettings.DEFAULTS, clock);
            final int polls = poller.targets().size();
            out.printf("bench-collector: %d VAC tenants, %d polls per slot, concurrency %d%n", vacTenants, polls,
                    concurrency);

            bareGetsPerSecond(simulator, credentials, poller.targets()); // warm-up: JIT, connections, simulator
            final double bare = bareGetsPerSecond(simulator, credentials, poller.targets());
            final long started = System.nanoTime();
            try (RawPublisher publisher = new RawPublisher(Map.of("bootstrap.servers", broker.bootstrapServers()), "");
                 Collector collector = new Collector(List.of(poller), publisher,
                         new CollectorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()), clock, concurrency)) {
                final Collector.SlotResult result = collector.pollSlot(Collector.slotStart(clock.instant(),
                        Duration.ofMinutes(15)), Duration.ZERO);
                final double seconds = (System.nanoTime() - started) / 1e9;
                final double rate = polls / seconds;
                out.printf("%-44s %10.0f/s%n", "bare HttpClient GETs (same URLs)", bare);
                out.printf("%-44s %10.0f/s  (%d COMPLETE, %d FAILED)%n", "collector polls, published to Kafka", rate,
                        result.complete(), result.failed());
                out.printf("%-44s %10.0f%%%n", "collector / bare", 100 * rate / bare);
                out.printf("%-44s %10.1f s  (goal: within a 60 s slot)%n", "one slot of " + polls + " polls", seconds);
                return result.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }

    /** The same GETs with a plain HttpClient: one login, no paging logic, no retries, no Kafka. */
    private double bareGetsPerSecond(final SimulatorServer simulator, final Credentials credentials,
                                     final List<Poller.Target> targets) throws Exception {
        final HttpClient client = HttpClient.newHttpClient();
        final String token = io.usagepipeline.events.Json.mapper().readTree(client.send(HttpRequest.newBuilder(
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
