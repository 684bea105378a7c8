package io.usagepipeline.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.Secret;
import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.Faults;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polls against the simulator: a COMPLETE poll holds exactly what the simulator's truth says for that instant, for
 * every endpoint and dialect, and under every fault a poll is COMPLETE-and-correct or FAILED with a reason.
 */
@Timeout(300)
class PollerIT {

    private static final Instant NOW = Instant.parse("2026-03-10T10:30:00Z");
    private static final Instant SLOT = Instant.parse("2026-03-10T10:30:00Z");
    /** Small pages, so that every crawl spans several. */
    private static final int PAGE = 3;
    private static final PollSettings SETTINGS = new PollSettings(5, Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(2), Duration.ofSeconds(30), PollSettings.DEFAULT_MAX_POLL_BYTES);
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
                new Secret(credentials.password()), null, TlsSettings.VERIFIED, null, PAGE);

        final List<Poller.Target> targets = new Poller(discovering, SETTINGS, simulator.clock()).targets(simulator.clock().instant());

        // 8 tenants: the even ones (VAC ids 1, 3, 5, 7) are VAC tenants, each with two endpoints
        assertThat(targets).extracting(Poller.Target::scope).containsOnly("1", "3", "5", "7").hasSize(8);
        assertThat(new Poller(vac(), SETTINGS, simulator.clock()).targets(simulator.clock().instant())).extracting(Poller.Target::scope)
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
                    new Secret(vacLogin.password()), null, TlsSettings.VERIFIED, null, PAGE);
            final Source vspcLower = new Source("vspc", SourceKind.VSPC, URI.create(other.baseUrl() + "/vspc"), null,
                    null, Map.of(), Map.of(), false, null, null, new Secret(other.credentials("vspc").apiKey()),
                    TlsSettings.VERIFIED, null, PAGE);

            other.faults().add(Faults.Rule.pageCap("vspc", 2)); // lower-case dialect on a capping server too
            final RawPoll usage = published(new Poller(vacUnits, SETTINGS, other.clock())
                    .poll(new Poller.Target(Endpoint.CLOUD_CONNECT_USAGE, "3"), SLOT));
            final RawPoll servers = published(new Poller(vspcLower, SETTINGS, other.clock())
                    .poll(new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), SLOT));

            assertThat(usage.status()).isEqualTo(PollStatus.COMPLETE);
            assertThat(usage.pages().get(0)).isNotEmpty();
            for (final JsonNode item : usage.pages().get(0)) {
                assertThat(item.get("unitType").asText()).isEqualTo("Instances");
                assertThat(item.get("usedUnits").decimalValue()).isEqualByComparingTo(other.fleet().snapshot(
                        other.fleet().series("vac/3/" + item.get("type").asText()), NOW).get("usedUnits"));
            }
            assertThat(servers.status()).isEqualTo(PollStatus.COMPLETE);
            assertThat(servers.itemCount()).isEqualTo(other.fleet().seriesOf("vspc", null).size());
            assertThat(ids(servers, "data", "backupServerUid")).hasSize(servers.itemCount());
            assertThat(servers.pages()).hasSize((servers.itemCount() + 1) / 2);
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

    /**
     * A fresh token refused too is what a VAC or VSPC login of the same user elsewhere looks like (another collector
     * run with the same account for high availability: their sessions log each other out): the poll fails, and says
     * so, where a product whose sessions do not interfere gets the bare reason.
     */
    @Test
    void shouldNameAnotherSessionOfTheSameUserWhenAFreshTokenIsRefusedToo() throws Exception {
        simulator.faults().add(new Faults.Rule("vac", Faults.Kind.REVOKE_TOKEN, 2, null, null, null));
        final RawPoll vac = poll(vac(), Endpoint.BACKUP_SERVER_USAGE, "1");
        simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.REVOKE_TOKEN, 2, null, null, null));
        final RawPoll aws = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-");

        assertThat(vac.status()).isEqualTo(PollStatus.FAILED);
        assertThat(vac.error().message()).isEqualTo("vac /v2/tenants/1/licensing/backupServerUsage: refused a fresh "
                + "token too (VAC and VSPC sessions of one user can log each other out: does another collector or "
                + "script log in as " + simulator.credentials("vac").username() + "? Give each its own account, "
                + "auth.usernameEnv)");
        assertThat(aws.status()).isEqualTo(PollStatus.FAILED);
        assertThat(aws.error().message()).endsWith(": refused a fresh token too");
    }

    /** A VSPC API key refused (expired or revoked in the console) is named as such: there is no session to renew. */
    @Test
    void shouldNameARefusedApiKey() throws Exception {
        final RawPoll refused = poll(new Source("vspc", SourceKind.VSPC, URI.create(simulator.baseUrl() + "/vspc"),
                null, null, Map.of(), Map.of(), false, null, null, new Secret("revoked-key"), TlsSettings.VERIFIED,
                null, PAGE), Endpoint.BACKUP_SERVERS, "-");

        assertThat(refused.status()).isEqualTo(PollStatus.FAILED);
        assertThat(refused.error().kind()).isEqualTo("AUTH");
        assertThat(refused.error().message()).isEqualTo("vspc /api/v3/licensing/backupServers?offset=0&limit=3: the "
                + "API key was refused (expired, revoked or mistyped? a key rotated in auth.apiKeyFile is read again "
                + "at every request)").doesNotContain("revoked-key");
    }

    /**
     * A password rotated in its file (a vault agent, a mounted Kubernetes secret) while the collector runs: the next
     * login sends the new one, without a restart.
     */
    @Test
    void shouldLogInWithThePasswordItsFileHoldsNow(@TempDir final Path dir) throws Exception {
        final Credentials credentials = simulator.credentials("aws/acme");
        final Path file = Files.writeString(dir.resolve("aws-acme.password"), "the one before\n");
        final Secret password = Secret.read(null, "auth.passwordEnv", file.toString(), "auth.passwordFile",
                Map.of()).orElseThrow();
        final Poller poller = new Poller(new Source("aws-acme", SourceKind.VBA_AWS,
                URI.create(simulator.baseUrl() + "/aws/acme"), "1.0-rev0", "acme", Map.of(), Map.of(), false,
                credentials.username(), password, null, TlsSettings.VERIFIED, null, PAGE), SETTINGS,
                simulator.clock());
        final Poller.Target workloads = new Poller.Target(Endpoint.LICENSED_WORKLOADS, "-");

        final RawPoll refused = published(poller.poll(workloads, SLOT));
        Files.writeString(file, credentials.password() + "\n");
        final RawPoll read = published(poller.poll(workloads, SLOT));

        assertThat(refused.status()).isEqualTo(PollStatus.FAILED);
        assertThat(refused.error().kind()).isEqualTo("AUTH");
        assertThat(read.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(read.itemCount()).isEqualTo(count("aws/acme/workloads"));
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
                TlsSettings.VERIFIED, null, PAGE);
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

    @Test
    void shouldFollowServersThatCapTheirPageSizeOnEveryPagedEndpoint() throws Exception {
        for (final String appliance : new String[] {"aws/acme", "azure/globex", "vspc"}) {
            simulator.faults().add(Faults.Rule.pageCap(appliance, 2));
        }
        final Source aws = withPageSize(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()), 100);
        final Source azure = withPageSize(source("azure-globex", SourceKind.VBA_AZURE, "/azure/globex", "globex",
                Map.of()), 100);

        final RawPoll workloads = poll(aws, Endpoint.LICENSED_WORKLOADS, "-");
        final RawPoll resources = poll(azure, Endpoint.LICENSE_RESOURCES, "-");
        final RawPoll servers = poll(withPageSize(vspc(), 500), Endpoint.BACKUP_SERVERS, "-");

        final int awsTruth = count("aws/acme/workloads");
        final int azureTruth = simulator.fleet().seriesOf("azure/globex", null).stream()
                .mapToInt(series -> simulator.fleet().count(series, NOW)).sum();
        final int vspcTruth = simulator.fleet().seriesOf("vspc", null).size();
        assertThat(awsTruth).as("the fixture needs several capped pages").isGreaterThan(2);
        assertThat(workloads.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(ids(workloads, "results", "id")).hasSize(awsTruth);
        assertThat(workloads.pages()).hasSize((awsTruth + 1) / 2);
        assertThat(resources.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(ids(resources, "results", "id")).hasSize(azureTruth);
        assertThat(servers.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(ids(servers, "data", "backupServerUid")).hasSize(vspcTruth);
        assertThat(servers.pages()).hasSize((vspcTruth + 1) / 2);
    }

    @Test
    void shouldStillFailACappedCollectionThatShiftsBetweenPagesTwice() throws Exception {
        simulator.faults().add(Faults.Rule.pageCap("aws/acme", 2));
        for (int round = 0; round < 2; round++) {
            // the first page of each round passes, the second finds an object added at the front
            simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.LATENCY, 1, null, 1L, null));
            simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.SHIFT_COLLECTION, 1, null, null, null));
        }

        final RawPoll poll = poll(withPageSize(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                100), Endpoint.LICENSED_WORKLOADS, "-");

        assertThat(poll.status()).isEqualTo(PollStatus.FAILED);
        assertThat(poll.error().kind()).isEqualTo("INCONSISTENT_PAGES");
        assertThat(poll.error().message()).contains("during the crawl").contains("also after reading it again");
        assertThat(poll.pages()).isEmpty();
    }

    @Test
    void shouldRetryTheTokenEndpointLikeEveryOtherCall() throws Exception {
        simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.SERVER_ERROR, 2, null, null, null, null,
                true));
        final RawPoll recovered = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-");
        simulator.faults().add(new Faults.Rule("aws/acme", Faults.Kind.SERVER_ERROR, 50, null, null, null, null,
                true));
        final RawPoll failed = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-");

        assertThat(recovered.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(recovered.itemCount()).isEqualTo(count("aws/acme/workloads"));
        assertThat(failed.status()).isEqualTo(PollStatus.FAILED);
        assertThat(failed.error().message()).startsWith("aws-acme token: HTTP 500")
                .endsWith("(gave up after 5 attempts)");
    }

    @Test
    void shouldStampTheTenantMappingIntoEveryPoll() throws Exception {
        final Source vspcWithCompanies = new Source("vspc", SourceKind.VSPC, URI.create(simulator.baseUrl()
                + "/vspc"), null, null, Map.of(), Map.of("Alpha Corp", "alpha"), false, null, null,
                new Secret(simulator.credentials("vspc").apiKey()), TlsSettings.VERIFIED, null, PAGE);

        assertThat(poll(vac(), Endpoint.BACKUP_SERVER_USAGE, "1").tenantMap()).isEqualTo(Map.of("1", "acme"));
        assertThat(poll(vspcWithCompanies, Endpoint.BACKUP_SERVERS, "-").tenantMap())
                .isEqualTo(Map.of("Alpha Corp", "alpha"));
        assertThat(poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-").tenantMap()).isEmpty();
        // a VAC poll carries the entries of its own billing tenant only, also when it FAILED
        final Source shared = source("vac", SourceKind.VAC, "/vac", null, Map.of("1", "acme", "3", "acme",
                "5", "initech"));
        assertThat(poll(shared, Endpoint.BACKUP_SERVER_USAGE, "1").tenantMap())
                .isEqualTo(Map.of("1", "acme", "3", "acme"));
        assertThat(poll(shared, Endpoint.BACKUP_SERVER_USAGE, "5").tenantMap()).isEqualTo(Map.of("5", "initech"));
        simulator.faults().add(new Faults.Rule("vac", Faults.Kind.SERVER_ERROR, 50, null, null, null));
        final RawPoll failed = poll(shared, Endpoint.BACKUP_SERVER_USAGE, "3");
        assertThat(failed.status()).isEqualTo(PollStatus.FAILED);
        assertThat(failed.tenantMap()).isEqualTo(Map.of("1", "acme", "3", "acme"));
        assertThat(poll(vac(), Endpoint.BACKUP_SERVER_USAGE, "999").tenantMap()).as("an unmapped VAC tenant")
                .isEmpty();
    }

    @Test
    void shouldPollTheUsagePerOrganizationAndEachReportUntilItIsApproved() throws Exception {
        final Map<String, String> companies = new HashMap<>(simulator.vspcCompanies());
        companies.putAll(simulator.fleet().vspcOrganizations());
        final Source reporting = new Source("vspc", SourceKind.VSPC, URI.create(simulator.baseUrl() + "/vspc"), null,
                null, Map.of(), companies, false, null, null, new Secret(simulator.credentials("vspc").apiKey()),
                TlsSettings.VERIFIED, null, 1, true, null, null);
        final Poller poller = new Poller(reporting, SETTINGS, simulator.clock());
        // in April, the reports generated on 1 March (February's) and on 1 April (March's)
        final Instant april = Instant.parse("2026-04-02T10:00:00Z");
        assertThat(poller.targets(april)).containsExactly(
                new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), new Poller.Target(Endpoint.ORGANIZATION_USAGE, "-"),
                new Poller.Target(Endpoint.LICENSE_REPORT, "2026-02"),
                new Poller.Target(Endpoint.LICENSE_REPORT, "2026-03"));

        final RawPoll organizations = published(poller.poll(new Poller.Target(Endpoint.ORGANIZATION_USAGE, "-"),
                SLOT));
        final RawPoll february = published(poller.poll(new Poller.Target(Endpoint.LICENSE_REPORT, "2026-02"), SLOT));
        final RawPoll march = published(poller.poll(new Poller.Target(Endpoint.LICENSE_REPORT, "2026-03"), SLOT));

        assertThat(organizations.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(organizations.itemCount()).isEqualTo(simulator.vspcCompanies().size());
        assertThat(organizations.pages()).as("one organization per page").hasSize(organizations.itemCount());
        assertThat(organizations.tenantMap()).isEqualTo(companies);
        // the simulator's today is 10 March: February's report is approved (after the 5th), March's not generated
        assertThat(february.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(february.itemCount()).isEqualTo(1);
        assertThat(february.pages().get(0).at("/data/0/reportStatus").asText()).isEqualTo("Approved");
        assertThat(march.status()).isEqualTo(PollStatus.COMPLETE);
        assertThat(march.itemCount()).isZero();
        assertThat(poller.targets(april)).as("an approved report no longer changes").containsExactly(
                new Poller.Target(Endpoint.BACKUP_SERVERS, "-"), new Poller.Target(Endpoint.ORGANIZATION_USAGE, "-"),
                new Poller.Target(Endpoint.LICENSE_REPORT, "2026-03"));
        assertThat(simulator.forbiddenCalls()).as("finalization, approval, settings").isEmpty();
    }

    @Test
    void shouldEncodeAVacTenantIdThatIsNotAPathSegment() throws Exception {
        final RawPoll poll = poll(vac(), Endpoint.BACKUP_SERVER_USAGE, "a b/c");

        assertThat(poll.status()).isEqualTo(PollStatus.FAILED);
        assertThat(poll.error().httpStatus()).isEqualTo(404);
        assertThat(poll.error().message()).contains("/v2/tenants/a%20b%2Fc/licensing/backupServerUsage");
    }

    @Test
    void shouldFailAPollLargerThanARawRecordMayBe() throws Exception {
        final PollSettings small = new PollSettings(5, Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofSeconds(30), 300);

        final RawPoll poll = poll(source("aws-acme", SourceKind.VBA_AWS, "/aws/acme", "acme", Map.of()),
                Endpoint.LICENSED_WORKLOADS, "-", small);

        assertThat(poll.status()).isEqualTo(PollStatus.FAILED);
        assertThat(poll.error().kind()).isEqualTo("TOO_LARGE");
        assertThat(poll.error().message()).contains("larger than the").contains("bytes the poll may still hold");
        assertThat(poll.pages()).isEmpty();
    }

    private static Source withPageSize(final Source s, final int pageSize) {
        return new Source(s.id(), s.kind(), s.baseUrl(), s.apiVersion(), s.tenant(), s.tenants(), s.companies(),
                s.discover(), s.username(), s.password(), s.apiKey(), s.tls(), s.pollInterval(), pageSize,
                s.reports(), s.proxy(), s.proxyLogin());
    }

    private static RawPoll poll(final Source source, final Endpoint endpoint, final String scope) throws Exception {
        return poll(source, endpoint, scope, SETTINGS);
    }

    private static RawPoll poll(final Source source, final Endpoint endpoint, final String scope,
                                final PollSettings settings) throws Exception {
        return published(new Poller(source, settings, simulator.clock()).poll(new Poller.Target(endpoint, scope),
                SLOT));
    }

    /** The poll as it lands on the raw topic (and as the processor reads it). */
    private static RawPoll published(final RawPoll poll) {
        return Topics.RAW.valueSerde().deserializer().deserialize("raw",
                Topics.RAW.valueSerde().serializer().serialize("raw", poll));
    }

    private static Source source(final String id, final SourceKind kind, final String path, final String tenant,
                                 final Map<String, String> tenants) {
        final Credentials credentials = simulator.credentials(path.substring(1));
        return new Source(id, kind, URI.create(simulator.baseUrl() + path),
                kind == SourceKind.VBA_AWS ? "1.0-rev0" : null, tenant, tenants, Map.of(), false,
                credentials.username(), new Secret(credentials.password()), null, TlsSettings.VERIFIED, null, PAGE);
    }

    private static Source vac() {
        return source("vac", SourceKind.VAC, "/vac", null, Map.of("1", "acme"));
    }

    private static Source vspc() {
        return new Source("vspc", SourceKind.VSPC, URI.create(simulator.baseUrl() + "/vspc"), null, null, Map.of(),
                Map.of(), false, null, null, new Secret(simulator.credentials("vspc").apiKey()), TlsSettings.VERIFIED,
                null, PAGE);
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
