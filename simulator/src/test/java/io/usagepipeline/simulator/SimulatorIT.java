package io.usagepipeline.simulator;

import static io.usagepipeline.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator through a bare JDK HTTP client: each product's auth, paging, dialect and fault, as specified. */
@Timeout(600) // a hung test fails here, not at CI's limit
class SimulatorIT {

    private static final Instant NOW = Instant.parse("2026-03-10T10:30:00Z");
    private static final String AWS_VERSION = "1.0-rev0";
    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() throws IOException {
        server = SimulatorServer.start(SimulatorOptions.defaults(12, 7, new VirtualClock(NOW, 1, Clock.systemUTC())));
        client = new SimClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void noFaultsLeft() {
        server.faults().clear();
        server.clock().set(NOW);
    }

    @Nested
    class Aws {

        @Test
        void shouldRequireTheApiVersionHeaderEvenForTheToken() throws Exception {
            final HttpResponse<String> refused = client.post("/aws/acme/api/v1/token", "grant_type=password");

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(json(refused.body()).get("errorCode").asText()).isEqualTo("UnexpectedContent");
        }

        @Test
        void shouldReturnEveryWorkloadExactlyOnceWhateverThePageSize() throws Exception {
            final String token = awsToken();
            final JsonNode all = json(awsGet("?Offset=0&Limit=-1", token).body());
            final int total = all.get("totalCount").asInt();
            assertThat(total).isGreaterThan(2).isEqualTo(all.get("results").size());
            final Set<String> expected = ids(all.get("results"));

            for (int pageSize = 1; pageSize <= total; pageSize++) {
                final List<String> seen = new ArrayList<>();
                for (int offset = 0; offset < total; offset += pageSize) {
                    final JsonNode page = json(awsGet("?Offset=" + offset + "&Limit=" + pageSize, token).body());
                    assertThat(page.get("totalCount").asInt()).isEqualTo(total);
                    page.get("results").forEach(item -> seen.add(item.get("id").asText()));
                }
                assertThat(seen).as("page size %d", pageSize).hasSize(total).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }

        @Test
        void shouldSortAndSearch() throws Exception {
            final String token = awsToken();
            final JsonNode desc = json(awsGet("?Sort=nameDesc", token).body()).get("results");
            final JsonNode searched = json(awsGet("?SearchPattern=001", token).body());

            final List<String> names = new ArrayList<>();
            desc.forEach(item -> names.add(item.get("name").asText()));
            assertThat(names).isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(searched.get("totalCount").asInt()).isEqualTo(1);
            assertThat(searched.get("results").get(0).get("name").asText()).isEqualTo("ec2-acme-001");
            assertThat(awsGet("?Sort=sizeAsc", token).statusCode()).isEqualTo(400);
        }

        @Test
        void shouldRefuseMissingExpiredAndRevokedTokensInItsDialect() throws Exception {
            final HttpResponse<String> missing = awsGet("", null);
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(json(missing.body()).get("errorCode").asText()).isEqualTo("InvalidToken");

            final String token = awsToken();
            server.faults().add(new Faults.Rule("aws/acme", Faults.Kind.REVOKE_TOKEN, 1, null, null, null));
            assertThat(awsGet("", token).statusCode()).isEqualTo(401);
            assertThat(awsGet("", token).statusCode()).as("revoked for good").isEqualTo(401);
            assertThat(awsGet("", awsToken()).statusCode()).as("a new login works").isEqualTo(200);
        }

        @Test
        void shouldRefuseAnExpiredTokenAsExpired() throws Exception {
            try (SimulatorServer shortLived = SimulatorServer.start(SimulatorOptions.defaults(3, 7,
                    new VirtualClock(NOW, 1, Clock.systemUTC())).withTokenLifetime(Duration.ZERO))) {
                final SimClient other = new SimClient(shortLived.baseUrl());
                final String token = other.login("/aws/acme/api/v1/token", shortLived.credentials("aws/acme"),
                        "x-api-version", AWS_VERSION).get("access_token").asText();

                final HttpResponse<String> expired = other.get("/aws/acme" + AwsApi.WORKLOADS, token,
                        "x-api-version", AWS_VERSION);

                assertThat(expired.statusCode()).isEqualTo(401);
                assertThat(json(expired.body()).get("errorCode").asText()).isEqualTo("ExpiredToken");
            }
        }

        @Test
        void shouldRotateRefreshTokens() throws Exception {
            final JsonNode login = client.login("/aws/acme/api/v1/token", server.credentials("aws/acme"),
                    "x-api-version", AWS_VERSION);
            final String refresh = "grant_type=refresh_token&refresh_token=" + login.get("refresh_token").asText();

            final HttpResponse<String> first = client.post("/aws/acme/api/v1/token", refresh, "x-api-version",
                    AWS_VERSION);
            final HttpResponse<String> again = client.post("/aws/acme/api/v1/token", refresh, "x-api-version",
                    AWS_VERSION);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(json(first.body()).get("expires_in").asInt()).isEqualTo(3600);
            assertThat(again.statusCode()).as("a used refresh token is spent").isEqualTo(401);
        }

        @Test
        void shouldShiftTheCollectionUnderAReaderWhenAsked() throws Exception {
            final String token = awsToken();
            final JsonNode before = json(awsGet("?Offset=0&Limit=2", token).body());
            server.faults().add(new Faults.Rule("aws/acme", Faults.Kind.SHIFT_COLLECTION, 1, null, null, null));

            final JsonNode shifted = json(awsGet("?Offset=1&Limit=2", token).body());

            assertThat(shifted.get("totalCount").asInt()).isEqualTo(before.get("totalCount").asInt() + 1);
            // the item that was first is now second: a reader of page 2 sees it again
            assertThat(shifted.get("results").get(0).get("id")).isEqualTo(before.get("results").get(0).get("id"));
        }

        private HttpResponse<String> awsGet(final String query, final String token) throws Exception {
            return client.get("/aws/acme" + AwsApi.WORKLOADS + query, token, "x-api-version", AWS_VERSION);
        }

        private String awsToken() throws Exception {
            return client.login("/aws/acme/api/v1/token", server.credentials("aws/acme"), "x-api-version",
                    AWS_VERSION).get("access_token").asText();
        }
    }

    @Nested
    class Azure {

        @Test
        void shouldPageByThirtyWithDictionaryLinks() throws Exception {
            final String token = client.login("/azure/globex/api/oauth2/token", server.credentials("azure/globex"))
                    .get("access_token").asText();

            final JsonNode page = json(client.get("/azure/globex" + AzureApi.RESOURCES, token).body());

            assertThat(page.get("limit").asInt()).isEqualTo(30);
            assertThat(page.get("results").size()).isEqualTo(Math.min(30, page.get("totalCount").asInt()));
            assertThat(page.get("_links").get("self").get("href").asText())
                    .isEqualTo(server.baseUrl() + "/azure/globex/api/v1/license/resources?offset=0&limit=30");
            assertThat(page.get("results").get(0).get("id").isNumber()).as("globex speaks the numeric-id dialect")
                    .isTrue();
        }

        @Test
        void shouldReturnEveryResourceExactlyOnceWhateverThePageSize() throws Exception {
            final String token = client.login("/azure/globex/api/oauth2/token", server.credentials("azure/globex"))
                    .get("access_token").asText();
            final JsonNode all = json(client.get("/azure/globex" + AzureApi.RESOURCES + "?limit=-1", token).body());
            final int total = all.get("totalCount").asInt();
            for (int size = 1; size <= total; size++) {
                final List<String> seen = new ArrayList<>();
                for (int offset = 0; offset < total; offset += size) {
                    json(client.get("/azure/globex" + AzureApi.RESOURCES + "?offset=" + offset + "&limit=" + size,
                            token).body()).get("results").forEach(item -> seen.add(item.get("id").asText()));
                }
                assertThat(seen).as("page size %d", size).containsExactlyInAnyOrderElementsOf(ids(all.get("results")))
                        .doesNotHaveDuplicates();
            }
        }

        @Test
        void shouldAcceptThePascalCaseGrantType() throws Exception {
            final Credentials credentials = server.credentials("azure/globex");
            final HttpResponse<String> response = client.post("/azure/globex/api/oauth2/token",
                    "grant_type=Password&username=" + credentials.username() + "&password=" + credentials.password());

            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Vac {

        @Test
        void shouldListTenantsAndTheirUsageAsBareArrays() throws Exception {
            final String token = vacToken();

            final JsonNode tenants = json(client.get("/vac/v2/tenants", token).body());
            final JsonNode usage = json(client.get("/vac/v2/tenants/1/licensing/backupServerUsage", token).body());

            assertThat(tenants.isArray()).isTrue();
            assertThat(tenants.get(0).get("id").asInt()).isEqualTo(1);
            assertThat(usage.isArray()).isTrue();
            assertThat(usage.get(0).has("usedInstances")).isTrue();
            assertThat(client.get("/vac/v2/tenants/2/licensing/backupServerUsage", token).statusCode())
                    .as("tenant 2 is a VSPC company in this fleet").isEqualTo(404);
        }

        @Test
        void shouldCheckTheVacLogin() throws Exception {
            final HttpResponse<String> wrong = client.post("/vac/token",
                    "grant_type=password&username=vac%5Csvc-usage&password=wrong");

            assertThat(wrong.statusCode()).isEqualTo(401);
        }

        private String vacToken() throws Exception {
            return client.login("/vac/token", server.credentials("vac")).get("access_token").asText();
        }
    }

    @Nested
    class Vspc {

        @Test
        void shouldAcceptAnApiKeyAndPageInPascalCase() throws Exception {
            final String key = server.credentials("vspc").apiKey();

            final JsonNode page = json(client.get("/vspc" + VspcApi.SERVERS + "?limit=2&offset=0", key).body());

            assertThat(page.get("meta").get("pagingInfo").get("count").asInt()).isEqualTo(2);
            assertThat(page.get("meta").get("pagingInfo").get("total").asInt()).isGreaterThan(2);
            assertThat(page.get("data").get(0).get("type").asText()).isEqualTo("Rental");
            assertThat(client.get("/vspc" + VspcApi.SERVERS + "?limit=501", key).statusCode()).isEqualTo(400);
        }

        @Test
        void shouldReturnEveryServerExactlyOnceWhateverThePageSize() throws Exception {
            final String key = server.credentials("vspc").apiKey();
            final JsonNode all = json(client.get("/vspc" + VspcApi.SERVERS + "?limit=500", key).body());
            final int total = all.get("meta").get("pagingInfo").get("total").asInt();
            final Set<String> expected = new HashSet<>();
            all.get("data").forEach(server -> expected.add(server.get("backupServerUid").asText()));
            for (int size = 1; size <= total; size++) {
                final List<String> seen = new ArrayList<>();
                for (int offset = 0; offset < total; offset += size) {
                    json(client.get("/vspc" + VspcApi.SERVERS + "?offset=" + offset + "&limit=" + size, key).body())
                            .get("data").forEach(server -> seen.add(server.get("backupServerUid").asText()));
                }
                assertThat(seen).as("page size %d", size).containsExactlyInAnyOrderElementsOf(expected)
                        .doesNotHaveDuplicates();
            }
        }

        @Test
        void shouldAnswerServerErrorsWith520AndThrottleWithRetryAfter() throws Exception {
            final String key = server.credentials("vspc").apiKey();
            server.faults().add(new Faults.Rule("vspc", Faults.Kind.SERVER_ERROR, 1, null, null, null));
            server.faults().add(new Faults.Rule("vspc", Faults.Kind.THROTTLE, 1, null, null, 25));

            final HttpResponse<String> error = client.get("/vspc" + VspcApi.SERVERS, key);
            final HttpResponse<String> throttled = client.get("/vspc" + VspcApi.SERVERS, key);
            final HttpResponse<String> fine = client.get("/vspc" + VspcApi.SERVERS, key);

            assertThat(error.statusCode()).isEqualTo(520);
            assertThat(json(error.body()).get("errors").get(0).get("type").asText()).isEqualTo("transport");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).contains("25");
            assertThat(json(throttled.body()).get("errors").get(0).get("retryAfter").asInt()).isEqualTo(25);
            assertThat(fine.statusCode()).isEqualTo(200);
        }

        @Test
        void shouldRunAnAsyncActionBehind202AndLocation() throws Exception {
            final String key = server.credentials("vspc").apiKey();
            final JsonNode direct = json(client.get("/vspc" + VspcApi.SERVERS, key).body());
            server.faults().add(new Faults.Rule("vspc", Faults.Kind.ASYNC, 1, null, null, null));

            final HttpResponse<String> accepted = client.get("/vspc" + VspcApi.SERVERS, key);
            final String location = accepted.headers().firstValue("Location").orElseThrow();
            final JsonNode first = json(client.get(location, key).body());
            final JsonNode second = json(client.get(location, key).body());
            final JsonNode result = json(client.get(location + "/result", key).body());

            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(first.get("data").get("status").asText()).isEqualTo("running");
            assertThat(second.get("data").get("status").asText()).isEqualTo("succeed");
            assertThat(result).isEqualTo(direct);
        }
    }

    @Nested
    class BrokenAnswers {

        @Test
        void shouldSendMalformedAndTruncatedBodiesAndHoldTimeouts() throws Exception {
            final String key = server.credentials("vspc").apiKey();
            server.faults().add(new Faults.Rule("vspc", Faults.Kind.MALFORMED_JSON, 1, null, null, null));
            assertThatThrownBy(() -> json(client.get("/vspc" + VspcApi.SERVERS, key).body()))
                    .isInstanceOf(IOException.class);

            server.faults().add(new Faults.Rule("vspc", Faults.Kind.TRUNCATED_BODY, 1, null, null, null));
            assertThatThrownBy(() -> client.get("/vspc" + VspcApi.SERVERS, key)).isInstanceOf(IOException.class);

            server.faults().add(new Faults.Rule("vspc", Faults.Kind.TIMEOUT, 1, null, 2_000L, null));
            assertThatThrownBy(() -> client.getWithTimeout("/vspc" + VspcApi.SERVERS, key, Duration.ofMillis(300)))
                    .isInstanceOf(HttpTimeoutException.class);
        }

        @Test
        void shouldAnswerLateWhenAskedForLatency() throws Exception {
            final String key = server.credentials("vspc").apiKey();
            server.faults().add(new Faults.Rule("vspc", Faults.Kind.LATENCY, 1, null, 400L, null));

            final long started = System.nanoTime();
            final HttpResponse<String> late = client.get("/vspc" + VspcApi.SERVERS, key);

            // a lower bound the simulator itself guarantees, not a timing expectation of the machine
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(late.statusCode()).isEqualTo(200);
        }

        @Test
        void shouldTakeFaultsAtRunTimeOverHttp() throws Exception {
            final String key = server.credentials("vspc").apiKey();
            client.postJson("/_sim/faults", "{\"appliance\":\"vspc\",\"kind\":\"SERVER_ERROR\",\"count\":2}");

            assertThat(client.get("/vspc" + VspcApi.SERVERS, key).statusCode()).isEqualTo(520);
            assertThat(client.get("/vspc" + VspcApi.SERVERS, key).statusCode()).isEqualTo(520);
            assertThat(client.get("/vspc" + VspcApi.SERVERS, key).statusCode()).isEqualTo(200);
        }
    }

    private static Set<String> ids(final JsonNode items) {
        final Set<String> ids = new HashSet<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }
}
