package io.usagepipeline.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.collector.config.PageSizes;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.collector.poll.PollSettings;
import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.Secret;
import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real collector publishing to a real broker: the raw topic holds each server's answer exactly as sent, and a
 * target that hangs costs its own polls, never another target's slots.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class CollectorIT {

    /** 2 s slots; a hung answer is given up after 2.5 s, so it always runs into the next slot, never past it. */
    private static final Duration SLOT = Duration.ofSeconds(2);
    private static final PollSettings FAST = new PollSettings(1, Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofMillis(2500), Duration.ofSeconds(3), PollSettings.DEFAULT_MAX_POLL_BYTES);

    @Test
    void shouldPublishTheSeedBodiesExactlyAsTheServerWroteThem(final KafkaBroker kafka) throws Exception {
        final String prefix = "seeds.";
        try (SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(1, 1,
                new VirtualClock(Instant.now(), 1, Clock.systemUTC())).withSeedFixture())) {
            final List<Poller> pollers = List.of(
                    poller(simulator, "aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of(), Map.of()),
                    poller(simulator, "azure-globex", SourceKind.VBA_AZURE, "/azure/globex", "globex", Map.of(),
                            Map.of()),
                    poller(simulator, "vac", SourceKind.VAC, "/vac", null, Map.of("2", "company-2"), Map.of()),
                    poller(simulator, "vspc", SourceKind.VSPC, "/vspc", null, Map.of(),
                            Map.of("Alpha", "alpha", "Beta", "beta")));
            final Collector.SlotResult result;
            try (RawPublisher publisher = publisher(kafka, prefix);
                 Collector collector = new Collector(pollers, publisher, metrics(), Clock.systemUTC(), 4)) {
                result = collector.pollSlot(Collector.slotStart(Instant.now(), Duration.ofMinutes(15)),
                        Duration.ZERO);
            }

            assertThat(result.failed()).isZero();
            final Map<String, String> expected = Map.of(
                    "aws-acme/licensedWorkloads/-", "aws-licensedWorkloads.json",
                    "azure-globex/licenseResources/-", "azure-licenseResources.json",
                    "vac/backupServerUsage/2", "vac-backupServerUsage.json",
                    "vac/cloudConnectUsage/2", "vac-cloudConnectUsage.json",
                    "vspc/backupServers/-", "vspc-backupServers.json");
            final List<ConsumerRecord<String, String>> records = readRaw(kafka, prefix, expected.size());
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(
                    expected.keySet());
            for (final ConsumerRecord<String, String> record : records) {
                final List<String> pages = pagesText(record.value());
                assertThat(pages).as(record.key()).hasSize(1);
                assertThat(withoutWhitespace(pages.get(0))).as(record.key() + ": the page as the server wrote it")
                        .isEqualTo(withoutWhitespace(fixture(expected.get(record.key()))));
            }
            // "sockets": 0.0 of the VSPC seed stays 0.0
            assertThat(records).filteredOn(r -> r.key().startsWith("vspc/")).singleElement()
                    .satisfies(r -> assertThat(r.value()).contains("\"sockets\": 0.0"));
        }
    }

    @Test
    void shouldKeepEveryOtherTargetOnItsSlotsWhileOneHangs(final KafkaBroker kafka) throws Exception {
        final String prefix = "loris.";
        final List<String> slowRequests = new CopyOnWriteArrayList<>();
        final HttpServer loris = slowLoris(slowRequests);
        try (SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(2, 1,
                new VirtualClock(Instant.now(), 1, Clock.systemUTC())))) {
            final Credentials vac = simulator.credentials("vac");
            final String firstVacTenant = simulator.vacTenants().keySet().iterator().next();
            final Source healthy = new Source("vac", SourceKind.VAC, URI.create(simulator.baseUrl() + "/vac"), null,
                    null, Map.of(firstVacTenant, "acme"), Map.of(), false, vac.username(),
                    new Secret(vac.password()), null, TlsSettings.VERIFIED, null, PageSizes.DEFAULT);
            final Source slow = new Source("aws-slow", SourceKind.VBA_AWS, URI.create("http://localhost:"
                    + loris.getAddress().getPort()), "1.0-rev0", "slow", Map.of(), Map.of(), false, "svc-usage",
                    new Secret("secret"), null, TlsSettings.VERIFIED, null, PageSizes.DEFAULT);
            final ByteArrayOutputStream console = new ByteArrayOutputStream();
            final PrintStream stderr = System.err;
            final List<RawPoll> polls;
            System.setErr(new PrintStream(new TeeOutputStream(stderr, console), true, StandardCharsets.UTF_8));
            try (RawPublisher publisher = publisher(kafka, prefix);
                 Collector collector = new Collector(List.of(new Poller(healthy, FAST, Clock.systemUTC()),
                         new Poller(slow, FAST, Clock.systemUTC())), publisher, metrics(), Clock.systemUTC(), 8)) {
                polls = runUntil(collector, SLOT, kafka, prefix, Duration.ofSeconds(90),
                        read -> slots(read, "aws-slow/licensedWorkloads/-").size() >= 3);
            } finally {
                System.setErr(stderr);
            }

            final List<Instant> slowSlots = slots(polls, "aws-slow/licensedWorkloads/-");
            final List<Instant> healthySlots = slots(polls, "vac/backupServerUsage/" + firstVacTenant);
            assertThat(polls).filteredOn(p -> p.sourceId().equals("aws-slow")).allSatisfy(p -> {
                assertThat(p.status()).isEqualTo(PollStatus.FAILED);
                assertThat(p.error().message()).contains("no complete answer from localhost:");
            });
            // each slow poll hung for its 2.5 s bound; every slot meanwhile was polled for the healthy target
            final Instant from = slowSlots.get(0);
            final Instant to = slowSlots.get(slowSlots.size() - 1);
            assertThat(healthySlots).as("the healthy target kept its slots while the slow one hung")
                    .containsAll(everySlot(from, to));
            assertThat(polls).filteredOn(p -> p.sourceId().equals("vac"))
                    .allSatisfy(p -> assertThat(p.status()).isEqualTo(PollStatus.COMPLETE));
            // the slot that began while the slow target hung was caught up, not skipped
            assertThat(slowSlots).isEqualTo(everySlot(from, to));

            // the console: the first failure in full, the rest counted (once a minute, and when the collector
            // closed), not a line each
            final List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).filteredOn(line -> line.contains("Collector - aws-slow/licensedWorkloads/- FAILED: "))
                    .hasSize(1);
            final Pattern countLine = Pattern.compile("aws-slow \\(TIMEOUT\\): (\\d+) more polls FAILED since the "
                    + "last line of this source and failure, the last aws-slow/licensedWorkloads/- FAILED: ");
            final long counted = lines.stream().map(countLine::matcher).filter(Matcher::find)
                    .mapToLong(match -> Long.parseLong(match.group(1))).sum();
            assertThat(counted).isGreaterThanOrEqualTo(polls.stream().filter(p -> p.sourceId().equals("aws-slow"))
                    .count() - 1).isPositive();
        } finally {
            loris.stop(0);
        }
    }

    /** Writes to two streams: the console stays where it was while a test reads it too. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(final OutputStream first, final OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(final int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(final byte[] bytes, final int offset, final int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    /**
     * A collector started 3 s before its 1-minute slot ends polls every target of that slot within it: its starts
     * are spread over a quarter of what is left, where they were spread over 15 s (a quarter of the interval), and
     * most of them ran into the next slot, which each then owed and polled at once.
     */
    @Test
    void shouldPollTheFirstSlotWithinItWhenStartedLateInIt(final KafkaBroker kafka) throws Exception {
        final String prefix = "late.";
        final Duration interval = Duration.ofMinutes(1);
        final Instant realNow = Instant.now();
        final Instant slotEnd = Collector.slotStart(realNow, interval).plus(interval);
        // the collector's clock: 3 s before the end of a slot, as it starts
        final Clock late = Clock.offset(Clock.systemUTC(), Duration.between(realNow, slotEnd.minusSeconds(3)));
        final Instant lateSlotEnd = Collector.slotStart(late.instant(), interval).plus(interval);
        try (SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(4, 1,
                new VirtualClock(Instant.now(), 1, Clock.systemUTC())))) {
            final Credentials vac = simulator.credentials("vac");
            final Map<String, String> tenants = new HashMap<>();
            simulator.vacTenants().keySet().forEach(id -> tenants.put(id, "tenant-" + id));
            final Source source = new Source("vac", SourceKind.VAC, URI.create(simulator.baseUrl() + "/vac"), null,
                    null, tenants, Map.of(), false, vac.username(), new Secret(vac.password()), null,
                    TlsSettings.VERIFIED, null, PageSizes.DEFAULT);
            final int targets = 2 * tenants.size(); // backupServerUsage and cloudConnectUsage of each
            try (RawPublisher publisher = publisher(kafka, prefix);
                 Collector collector = new Collector(List.of(new Poller(source, FAST, late)), publisher, metrics(),
                         late, 8)) {
                final List<RawPoll> polls = runUntil(collector, interval, kafka, prefix, Duration.ofSeconds(60),
                        read -> read.stream().filter(p -> p.slotStart().isBefore(lateSlotEnd)).count() >= targets);

                assertThat(polls).filteredOn(p -> p.slotStart().isBefore(lateSlotEnd)).hasSize(targets)
                        .allSatisfy(p -> assertThat(p.polledAt()).as(p.pollTarget()).isBefore(lateSlotEnd));
            }
        }
    }

    /** Runs the collector until the raw polls read back satisfy {@code done}, then stops it; returns them. */
    private static List<RawPoll> runUntil(final Collector collector, final Duration interval, final KafkaBroker kafka,
                                          final String prefix, final Duration atMost,
                                          final Predicate<List<RawPoll>> done) throws InterruptedException {
        final Thread running = new Thread(() -> {
            try {
                collector.run(interval);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "collector-under-test");
        running.start();
        final List<RawPoll> polls = new ArrayList<>();
        try (KafkaConsumer<String, RawPoll> consumer = consumer(kafka)) {
            consumer.subscribe(List.of(Topics.RAW.name(prefix)));
            await().atMost(atMost).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> polls.add(record.value()));
                return done.test(polls);
            });
        } finally {
            running.interrupt();
            running.join(10_000);
        }
        return polls;
    }

    private static List<Instant> everySlot(final Instant from, final Instant to) {
        final List<Instant> slots = new ArrayList<>();
        for (Instant at = from; !at.isAfter(to); at = at.plus(SLOT)) {
            slots.add(at);
        }
        return slots;
    }

    private static List<Instant> slots(final List<RawPoll> polls, final String target) {
        return polls.stream().filter(p -> p.pollTarget().equals(target)).map(RawPoll::slotStart).sorted()
                .distinct().toList();
    }

    /** An AWS appliance whose token endpoint answers, and whose data trickles a byte every 500 ms for 10 s. */
    private static HttpServer slowLoris(final List<String> requests) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/token", exchange -> {
            final byte[] body = "{\"access_token\":\"t\",\"refresh_token\":\"r\",\"expires_in\":3600}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/api/v1/licensing", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 20; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (final InterruptedException | IOException e) {
                // the collector gave up on this answer
            }
        });
        server.start();
        return server;
    }

    private static Poller poller(final SimulatorServer simulator, final String id, final SourceKind kind,
                                 final String path, final String tenant, final Map<String, String> tenants,
                                 final Map<String, String> companies) throws Exception {
        final Credentials credentials = simulator.credentials(path.substring(1));
        final boolean byKey = kind == SourceKind.VSPC;
        return new Poller(new Source(id, kind, URI.create(simulator.baseUrl() + path),
                kind == SourceKind.VBA_AWS ? "1.0-rev0" : null, tenant, tenants, companies, false,
                byKey ? null : credentials.username(), byKey ? null : new Secret(credentials.password()),
                byKey ? new Secret(credentials.apiKey()) : null, TlsSettings.VERIFIED, null, PageSizes.DEFAULT),
                PollSettings.DEFAULTS, Clock.systemUTC());
    }

    private static RawPublisher publisher(final KafkaBroker kafka, final String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 1, 0).ensureAll();
        }
        return new RawPublisher(Map.of("bootstrap.servers", kafka.bootstrapServers()), prefix);
    }

    private static CollectorMetrics metrics() {
        return new CollectorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    }

    private static KafkaConsumer<String, RawPoll> consumer(final KafkaBroker kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG,
                "collector-it-" + System.nanoTime()), new StringDeserializer(), Topics.RAW.valueSerde().deserializer());
    }

    private static List<ConsumerRecord<String, String>> readRaw(final KafkaBroker kafka, final String prefix,
                                                                final int count) {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "collector-it-" + System.nanoTime()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.RAW.name(prefix)));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    /** The text of each page of a raw poll's JSON, cut out of the record exactly as it stands there. */
    private static List<String> pagesText(final String rawPoll) throws IOException {
        final List<String> pages = new ArrayList<>();
        try (JsonParser parser = Json.mapper().getFactory().createParser(rawPoll)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals("pages")
                        && parser.getParsingContext().getParent().inRoot()) {
                    parser.nextToken(); // [
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        final int start = (int) parser.currentTokenLocation().getCharOffset();
                        parser.skipChildren();
                        final int end = (int) parser.currentLocation().getCharOffset();
                        pages.add(rawPoll.substring(start, end));
                    }
                    return pages;
                }
            }
        }
        return pages;
    }

    /** JSON with the whitespace between tokens removed, strings untouched. */
    private static String withoutWhitespace(final String json) {
        final StringBuilder out = new StringBuilder();
        boolean inString = false;
        boolean escaped = false;
        for (final char c : json.toCharArray()) {
            if (inString) {
                out.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
                inString = c == '"';
            }
        }
        return out.toString();
    }

    private static String fixture(final String name) throws IOException {
        try (InputStream in = CollectorIT.class.getResourceAsStream("/fixtures/seeds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
