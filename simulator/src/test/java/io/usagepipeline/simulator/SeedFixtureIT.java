package io.usagepipeline.simulator;

import static io.usagepipeline.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --fixture seeds}: every endpoint answers the example of its Veeam documentation page, JSON-equal. */
@Timeout(600) // a hung test fails here, not at CI's limit
class SeedFixtureIT {

    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SimulatorServer.start(SimulatorOptions.defaults(1, 1,
                new VirtualClock(Instant.parse("2026-03-10T10:00:00Z"), 1, Clock.systemUTC())).withSeedFixture());
        client = new SimClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldServeTheSeedExamples() throws Exception {
        final String aws = client.login("/aws/acme/api/v1/token", server.credentials("aws/acme"), "x-api-version",
                "1.0-rev0").get("access_token").asText();
        final String azure = client.login("/azure/globex/api/oauth2/token", server.credentials("azure/globex"))
                .get("access_token").asText();
        final String vac = client.login("/vac/token", server.credentials("vac")).get("access_token").asText();
        final String vspc = server.credentials("vspc").apiKey();

        assertThat(json(client.get("/aws/acme" + AwsApi.WORKLOADS, aws, "x-api-version", "1.0-rev0").body()))
                .isEqualTo(seed("aws-licensedWorkloads.json"));
        assertThat(json(client.get("/azure/globex" + AzureApi.RESOURCES, azure).body()))
                .isEqualTo(seed("azure-licenseResources.json"));
        assertThat(json(client.get("/vac/v2/tenants/2/licensing/backupServerUsage", vac).body()))
                .isEqualTo(seed("vac-backupServerUsage.json"));
        assertThat(json(client.get("/vac/v2/tenants/2/licensing/cloudConnectUsage", vac).body()))
                .isEqualTo(seed("vac-cloudConnectUsage.json"));
        assertThat(json(client.get("/vspc" + VspcApi.SERVERS, vspc).body())).isEqualTo(seed("vspc-backupServers.json"));
        assertThat(json(client.get("/vac/v2/tenants", vac).body()).get(0).get("id").asInt()).isEqualTo(2);
        assertThat(server.vspcCompanies()).containsKeys("Alpha", "Beta");
    }

    @Test
    void shouldPageTheSeedItemsExactlyOnceAtEveryPageSize() throws Exception {
        final String aws = client.login("/aws/acme/api/v1/token", server.credentials("aws/acme"), "x-api-version",
                "1.0-rev0").get("access_token").asText();
        final JsonNode all = seed("aws-licensedWorkloads.json").get("results");
        for (int size = 1; size <= all.size(); size++) {
            final List<JsonNode> seen = new ArrayList<>();
            for (int offset = 0; offset < all.size(); offset += size) {
                final JsonNode page = json(client.get("/aws/acme" + AwsApi.WORKLOADS + "?Offset=" + offset + "&Limit="
                        + size, aws, "x-api-version", "1.0-rev0").body());
                assertThat(page.get("totalCount").asInt()).isEqualTo(4);
                page.get("results").forEach(seen::add);
            }
            assertThat(seen).as("page size %d", size).containsExactlyElementsOf(all);
        }
    }

    private static JsonNode seed(final String name) throws Exception {
        try (InputStream in = SeedFixtureIT.class.getResourceAsStream("/fixtures/seeds/" + name)) {
            return SimResponse.JSON.readTree(in);
        }
    }
}
