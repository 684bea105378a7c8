package io.usagepipeline.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.config.Secret;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.Faults;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Polls against the simulator: a COMPLETE poll holds exactly what the simulator's truth says for that instant, for
 * every endpoint and dialect, and under every fault a poll is COMPLETE-and-correct or FAILED with a reason.
 */
class PollerIT {

    private static final Instant NOW = Instant.parse("2026-03-10T10:30:00Z");
    private static final Instant SLOT = Instant.parse("2026-03-10T10:30:00Z");
    /** Small pages, so that every crawl spans several. */
    private static final PollSettings SETTINGS = new PollSettings(3, 5, Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30));
    private static SimulatorServer simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = SimulatorServer.start(SimulatorOptions.defaults(8, 5, new VirtualClock(NOW, 1,
                Clock.systemUTC())));
        simulator.clock().speed(1e-9); // time stands still: truth and answers are about the same instant
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @AfterEach
    void clearFaults() {
        simulator.faults().clear();
    }

    @Test
    void shouldReadAwsWorkloadsExactlyAsTheTruthSays() throws Exception {
        final RawPoll poll = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-");

        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.itemCount()).isEqualTo(count("aws/acme/workloads"));
        assertThat(poll.pages()).hasSizeGreaterThan(1);
        assertThat(ids(poll, "results", "id")).hasSize(poll.itemCount());
        assertThat(poll.tenantId()).isEqualTo("acme");
    }

    @Test
    void shouldReadAzureResourcesInTheNumericIdDialect() throws Exception {
        final RawPoll poll = poll(source("azure-globex", SourceKind.VBA_AZURE, "/azure/globex", "globex", Map.of()),
                Endpoint.LICENSE_RESOURCES, "-");

        final int expected = simulator.fleet().seriesOf("azure/globex", null).stream()
                .mapToInt(series -> simulator.fleet().count(series, NOW)).sum();
        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.itemCount()).isEqualTo(expected);
    }

    @Test
    void shouldReadVacUsagePerTenantAsTheTruthSays() throws Exception {
        final RawPoll poll = poll(vac(), Endpoint.BACKUP_SERVER_USAGE, "1");

        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.tenantId()).isEqualTo("acme");
        assertThat(poll.pages().get(0)).isNotEmpty();
        for (final JsonNode item : poll.pages().get(0)) {
            final Map<String, BigDecimal> truth = simulator.fleet().snapshot(
                    simulator.fleet().series("vac/1/" + item.get("type").asText()), NOW);
            assertThat(item.get("usedInstances").decimalValue()).isEqualByComparingTo(truth.get("usedUnits"));
        }
    }

    @Test
    void shouldDiscoverEveryVacTenantWhenAsked() throws Exception {
        final Credentials credentials = simulator.credentials("vac");
        final Source discovering = new Source("vac", SourceKind.VAC, URI.create(simulator.baseUrl() + "/vac"), null,
                null, Map.of("1", "acme"), Map.of(), true, credentials.username(),
                new Secret(credentials.password()), null, TlsSettings.VERIFIED, null);

        final java.util.List<Poller.Target> targets = new Poller(discovering, SETTINGS, simulator.clock()).targets();

        // 8 tenants: the even ones (VAC ids 1, 3, 5, 7) are VAC tenants, each with two endpoints
        assertThat(targets).extracting(Poller.Target::scope).containsOnly("1", "3", "5", "7").hasSize(8);
        assertThat(new Poller(vac(), SETTINGS, simulator.clock()).targets()).extracting(Poller.Target::scope)
                .containsOnly("1");
    }

    @Test
    void shouldReadTheOtherDialectsCompletelyToo() throws Exception {
        // VAC with *Units + unitType, VSPC with lower-case enums as on the documentation page
        try (SimulatorServer other = SimulatorServer.start(new SimulatorOptions("localhost", 0, 8, 5,
                Fleet.Dialect.FIELD, Fleet.Dialect.DOCUMENTED, Duration.ofHours(1), new VirtualClock(NOW, 1e-9,
                Clock.systemUTC()), 4, false, null))) {
            final Credentials vacLogin = other.credentials("vac");
            final Source vacUnits = new Source("vac", SourceKind.VAC, URI.create(other.baseUrl() + "/vac"), null,
                    null, Map.of("3", "initech"), Map.of(), false, vacLogin.username(),
                    new Secret(vacLogin.password()), null, TlsSettings.VERIFIED, null);
            final Source vspcLower = new Source("vspc", SourceKind.VSPC, URI.create(other.baseUrl() + "/vspc"), null,
                    null, Map.of(), Map.of(), false, null, null, new Secret(other.credentials("vspc").apiKey()),
                    TlsSettings.VERIFIED, null);

            final RawPoll usage = new Poller(vacUnits, SETTINGS, other.clock())
                    .poll(new Poller.Target(Endpoint.CLOUD_CONNECT_USAGE, "3"), SLOT);
            final RawPoll servers = new Poller(vspcLower, SETTINGS, other.clock())
                    .poll(new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), SLOT);

            assertThat(usage.status()).isEqualTo(PollStatus.COMPLETE);
            assertThat(usage.pages().get(0)).isNotEmpty();
            for (final JsonNode item : usage.pages().get(0)) {
                assertThat(item.get("unitType").asText()).isEqualTo("Instances");
                assertThat(item.get("usedUnits").decimalValue()).isEqualByComparingTo(other.fleet().snapshot(
                        other.fleet().series("vac/3/" + item.get("type").asText()), NOW).get("usedUnits"));
            }
            assertThat(servers.status()).isEqualTo(PollStatus.COMPLETE);
            assertThat(servers.itemCount()).isEqualTo(other.fleet().seriesOf("vspc", null).size());
            assertThat(servers.pages().get(0).get("data").get(0).get("type").asText()).isEqualTo("rental");
        }
    }

    @Test
    void shouldReadVspcServersWithAnApiKey() throws Exception {
        final RawPoll poll = poll(vspc(), Endpoint.BACKUP_SERVERS, "-");

        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.itemCount()).isEqualTo(simulator.fleet().seriesOf("vspc", null).size());
    }

    @Test
    void shouldRecoverFromEveryTransientFaultWithTheRightItems() throws Exception {
        final int truth = count("aws/acme/workloads");
        for (final Faults.Kind kind : new Faults.Kind[] {Faults.Kind.SERVER_ERROR, Faults.Kind.MALFORMED_JSON,
                Faults.Kind.TRUNCATED_BODY, Faults.Kind.SHIFT_COLLECTION, Faults.Kind.TIMEOUT}) {
            simulator.faults().clear();
            simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.LATENCY, 1, null, 1L, null));
            simulator.faults().add(new Faults.Rule("aws/acme", kind, 1, null, kind == Faults.Kind.TIMEOUT
                    ? 5_000L : null, null));

            final RawPoll poll = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                    Endpoint.LICENSED_WORKLOADS, "-");

            assertThat(poll.status()).as("after %s", kind).isEqualTo(PollStatus.COMPLETE);
            assertThat(poll.itemCount()).as("after %s", kind).isEqualTo(truth);
            assertThat(ids(poll, "results", "id")).as("after %s", kind).hasSize(truth);
        }
    }

    @Test
    void shouldLogInAgainWhenTheTokenIsRevokedInTheMiddleOfPaging() throws Exception {
        // the first page passes, the second finds the session revoked
        simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.LATENCY, 1, null, 1L, null));
        simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.REVOKE_TOKEN, 1, null, null, null));

        final RawPoll poll = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-");

        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.itemCount()).isEqualTo(count("aws/acme/workloads"));
    }

    @Test
    void shouldWaitAtLeastTheAdvertisedDelayAfterA429() throws Exception {
        simulator.faults().add(new Faults.Rule("vspc", Faults.Kind.THROTTLE, 1, null, null, 1));

        final long started = System.nanoTime();
        final RawPoll poll = poll(vspc(), Endpoint.BACKUP_SERVERS, "-");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
    }

    @Test
    void shouldFollowAVspcAsyncAction() throws Exception {
        simulator.faults().add(new Faults.Rule("vspc", Faults.Kind.ASYNC, 1, null, null, null));

        final RawPoll poll = poll(vspc(), Endpoint.BACKUP_SERVERS, "-");

        assertThat(poll.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(poll.itemCount()).isEqualTo(simulator.fleet().seriesOf("vspc", null).size());
    }

    @Test
    void shouldFailWithAReasonAndNeverPublishAShortSnapshot() throws Exception {
        final RawPoll unknownTenant = poll(vac(), Endpoint.BACKUP_SERVER_USAGE, "999");
        simulator.faults().add(new Faults.Rule("vspc", Faults.Kind.SERVER_ERROR, 50, null, null, null));
        final RawPoll broken = poll(vspc(), Endpoint.BACKUP_SERVERS, "-");
        final Source wrongPassword = new Source("vac", SourceKind.VAC, URI.create(simulator.baseUrl() + "/vac"), null,
                null, Map.of("1", "acme"), Map.of(), false, "vac\\svc-usage", new Secret("wrong"), null,
                TlsSettings.VERIFIED, null);
        final RawPoll refused = poll(wrongPassword, Endpoint.BACKUP_SERVER_USAGE, "1");

        assertThat(unknownTenant.status()).isEqualTo(PollStatus.FAILED);
        assertThat(unknownTenant.error().httpStatus()).as("404 is not retried").isEqualTo(404);
        assertThat(broken.status()).isEqualTo(PollStatus.FAILED);
        assertThat(broken.error().httpStatus()).isEqualTo(520);
        assertThat(broken.error().message()).contains("gave up after 5 attempts");
        assertThat(refused.status()).isEqualTo(PollStatus.FAILED);
        assertThat(refused.error().kind()).isEqualTo("AUTH");
        assertThat(refused.error().message()).doesNotContain("wrong");
        for (final RawPoll failed : new RawPoll[] {unknownTenant, broken, refused}) {
            assertThat(failed.pages()).isEmpty();
            assertThat(failed.itemCount()).isZero();
        }
    }

    private static RawPoll poll(final Source source, final Endpoint endpoint, final String scope) throws Exception {
        return new Poller(source, SETTINGS, simulator.clock()).poll(new Poller.Target(endpoint, scope), SLOT);
    }

    private static Source source(final String id, final SourceKind kind, final String path, final String tenant,
                                 final Map<String, String> tenants) {
        final Credentials credentials = simulator.credentials(path.substring(1));
        return new Source(id, kind, URI.create(simulator.baseUrl() + path),
                kind == SourceKind.VBA_AWS ? "1.0-rev0" : null, tenant, tenants, Map.of(), false,
                credentials.username(), new Secret(credentials.password()), null, TlsSettings.VERIFIED, null);
    }

    private static Source vac() {
        return source("vac", SourceKind.VAC, "/vac", null, Map.of("1", "acme"));
    }

    private static Source vspc() {
        return new Source("vspc", SourceKind.VSPC, URI.create(simulator.baseUrl() + "/vspc"), null, null, Map.of(),
                Map.of(), false, null, null, new Secret(simulator.credentials("vspc").apiKey()), TlsSettings.VERIFIED,
                null);
    }

    private static int count(final String series) {
        final Fleet.Series s = simulator.fleet().series(series);
        return simulator.fleet().count(s, NOW);
    }

    private static Set<String> ids(final RawPoll poll, final String itemsField, final String idField) {
        final Set<String> ids = new HashSet<>();
        poll.pages().forEach(page -> page.get(itemsField).forEach(item -> ids.add(item.get(idField).asText())));
        return ids;
    }
}
