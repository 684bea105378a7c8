package io.usagepipeline.simulator;

import static io.usagepipeline.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** For random instants, what the endpoints answer equals what {@code /_sim/truth} says for that instant. */
@Timeout(600) // a hung test fails here, not at CI's limit
class TruthPropertyIT {

    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");
    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SimulatorServer.start(SimulatorOptions.defaults(8, 11, new VirtualClock(FIRST, 1,
                Clock.systemUTC())));
        client = new SimClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAgreeWithTheTruthAtRandomInstants() throws Exception {
        final Random random = new Random(42);
        final String vspcKey = server.credentials("vspc").apiKey();
        final String vac = client.login("/vac/token", server.credentials("vac")).get("access_token").asText();
        final String aws = client.login("/aws/acme/api/v1/token", server.credentials("aws/acme"), "x-api-version",
                "1.0-rev0").get("access_token").asText();
        for (int i = 0; i < 40; i++) {
            final Instant at = FIRST.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 150)));
            server.clock().set(at);

            final JsonNode workloads = json(client.get("/aws/acme" + AwsApi.WORKLOADS, aws, "x-api-version",
                    "1.0-rev0").body());
            assertThat(workloads.get("totalCount").asInt()).as("aws at %s", at)
                    .isEqualTo(truth("aws/acme/workloads", at).get("count").asInt());

            final String vacTenant = String.valueOf(1 + 2 * random.nextInt(4));
            final JsonNode usage = json(client.get("/vac/v2/tenants/" + vacTenant + "/licensing/backupServerUsage",
                    vac).body());
            final Map<String, JsonNode> byType = new HashMap<>();
            usage.forEach(item -> byType.put(item.get("type").asText(), item));
            for (final String type : Fleet.VAC_BACKUP_TYPES) {
                final JsonNode truth = truth("vac/" + vacTenant + "/" + type, at);
                final int count = truth.get("usedCount").asInt() + truth.get("newCount").asInt();
                if (count == 0) {
                    assertThat(byType).as("a removed type is left out").doesNotContainKey(type);
                } else {
                    assertThat(byType.get(type).get("usedInstances").decimalValue())
                            .isEqualByComparingTo(truth.get("usedUnits").decimalValue());
                    assertThat(byType.get(type).get("newCount").asInt()).isEqualTo(truth.get("newCount").asInt());
                }
            }

            final JsonNode servers = json(client.get("/vspc" + VspcApi.SERVERS + "?limit=500", vspcKey).body());
            for (final JsonNode server : servers.get("data")) {
                final String key = "vspc/" + server.get("company").asText().toLowerCase() + "/"
                        + server.get("backupServerUid").asText();
                assertThat(server.get("usedUnits").decimalValue())
                        .isEqualByComparingTo(truth(key, at).get("usedUnits").decimalValue());
            }
        }
    }

    /** The figures of a series at an instant, from the truth endpoint. */
    private static JsonNode truth(final String series, final Instant at) throws Exception {
        final JsonNode truth = json(client.get("/_sim/truth?series=" + java.net.URLEncoder.encode(series,
                java.nio.charset.StandardCharsets.UTF_8) + "&from=" + at + "&to=" + at, null).body());
        assertThat(truth.has("points")).as("truth of %s: %s", series, truth).isTrue();
        return truth.get("points").get(0).get("figures");
    }

    @Test
    void shouldListOnlyTheHoursAtWhichALevelChanges() throws Exception {
        final Instant from = Instant.parse("2026-02-01T00:00:00Z");
        final JsonNode truth = json(client.get("/_sim/truth?series=aws/acme/workloads&from=" + from + "&to="
                + from.plus(Duration.ofDays(7)), null).body());

        BigDecimal previous = null;
        for (final JsonNode point : truth.get("points")) {
            final BigDecimal count = point.get("figures").get("count").decimalValue();
            assertThat(count).as("a point only where the level changes").isNotEqualByComparingTo(
                    previous == null ? BigDecimal.valueOf(-1) : previous);
            assertThat(Instant.parse(point.get("at").asText()).getEpochSecond() % 3600 == 0
                    || point.get("at").asText().equals(from.toString())).isTrue();
            previous = count;
        }
        assertThat(truth.get("points").size()).isGreaterThan(1);
    }
}
