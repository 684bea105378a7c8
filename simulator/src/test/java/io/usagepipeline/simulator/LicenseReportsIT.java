package io.usagepipeline.simulator;

import static io.usagepipeline.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * VSPC's usage per organization and its monthly license report: figures that follow Veeam's counting rules on the
 * fleet's truth (worked out here hour by hour, independently of the simulator's own code), planted adjustments that
 * show as a real report shows them, answers that validate against the public models, and report calls that would
 * change what Veeam bills refused.
 */
@Timeout(120)
class LicenseReportsIT {

    /** Three days into November: October's report was generated on the 1st and still needs approval. */
    private static final Instant NOW = Instant.parse("2026-11-03T08:00:00Z");
    private static final Instant OCTOBER = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

    private SimulatorServer server;
    private SimClient client;
    private String key;

    @BeforeEach
    void start() throws Exception {
        server = SimulatorServer.start(SimulatorOptions.defaults(12, 3,
                new VirtualClock(NOW, 1, Clock.systemUTC())));
        client = new SimClient(server.baseUrl());
        key = server.credentials("vspc").apiKey();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldCountEachOrganizationsWorkloadsAsTheFleetHoldsThem() throws Exception {
        final JsonNode page = get(VspcApi.ORGANIZATIONS + "?limit=100");

        assertThat(schema("OrganizationUsagePage").validate(page)).isEmpty();
        final Fleet fleet = server.fleet();
        assertThat(page.get("data")).hasSize(fleet.vspcCompanies().size());
        for (final JsonNode organization : page.get("data")) {
            final String company = companyOf(organization.get("organizationUid").asText());
            final Map<String, Integer> used = new HashMap<>();
            organization.get("servers").forEach(server -> server.get("workloads").forEach(workload ->
                    used.merge(workload.get("description").asText(), workload.get("usedCount").asInt(),
                            Integer::sum)));
            for (final Fleet.Series series : fleet.seriesOf(Fleet.VSPC_USAGE, company)) {
                assertThat(used.get(series.type())).as(series.key()).isEqualTo(fleet.count(series, NOW));
            }
        }
    }

    @Test
    void shouldBillLastMonthWithVeeamsRulesOnTheTruth() throws Exception {
        final JsonNode page = get(VspcApi.REPORTS + "2026-11-01");

        assertThat(schema("ReportsPage").validate(page)).isEmpty();
        final JsonNode report = page.get("data").get(0);
        assertThat(report.get("reportStatus").asText()).isEqualTo("ApprovalRequired");
        assertThat(report.at("/reportParemeters/reportInterval/startOfInterval").asText()).isEqualTo("2026-10-01");
        int lines = 0;
        for (final JsonNode detail : report.get("usageDetails")) {
            final String company = detail.get("organizationName").asText();
            for (final JsonNode line : detail.at("/usageByLicenseAndProduct/0/workloadUsage")) {
                final Fleet.Series series = server.fleet().series(Fleet.VSPC_USAGE + "/"
                        + server.vspcCompanies().get(company) + "/" + line.get("workloadType").asText());
                final Instant counted = veeamsInstant(series);
                final int expected = server.fleet().count(series, counted);
                // new: counted now but not at the start of the month
                final int fresh = Math.max(0, expected - server.fleet().count(series, OCTOBER));
                assertThat(line.get("initialCount").asInt()).as(series.key()).isEqualTo(expected);
                assertThat(line.get("reportedCount").asInt()).as(series.key()).isEqualTo(expected);
                assertThat(line.get("newCount").asInt()).as(series.key()).isEqualTo(fresh);
                assertThat(line.get("usedPoints").decimalValue()).as(series.key()).isEqualByComparingTo(
                        series.weight().multiply(BigDecimal.valueOf(expected - fresh)));
                lines++;
            }
        }
        assertThat(lines).isEqualTo(server.fleet().series().stream()
                .filter(s -> s.appliance().equals(Fleet.VSPC_USAGE))
                .filter(s -> server.fleet().count(s, veeamsInstant(s)) > 0).count());
        assertThat(get(VspcApi.REPORTS + "latest").get("data").get(0).get("reportParemeters"))
                .isEqualTo(report.get("reportParemeters"));
        assertThat(get(VspcApi.REPORTS + "2026-12-01").get("data")).as("not generated yet").isEmpty();
    }

    @Test
    void shouldPlantAnAdjustmentAnUncollectedServerAndAForeignOrganization() throws Exception {
        final String adjusted = "Globex";
        final String uncollected = companyWithServers(2);
        server.reports().add(new LicenseReports.Adjustment(LicenseReports.AdjustmentKind.ADJUSTED_COUNT, adjusted,
                "VBR_VM", -2, "2026-10"));
        server.reports().add(new LicenseReports.Adjustment(LicenseReports.AdjustmentKind.NOT_COLLECTED, uncollected,
                null, null, null));
        client.postJson("/_sim/reports", "{\"kind\":\"ONLY_IN_REPORT\",\"company\":\"Vandelay Industries\","
                + "\"workloadType\":\"VBR_VM\",\"delta\":4}");

        final JsonNode report = get(VspcApi.REPORTS + "2026-11-01").get("data").get(0);

        assertThat(schema("ReportsPage").validate(get(VspcApi.REPORTS + "2026-11-01"))).isEmpty();
        final JsonNode globex = line(report, adjusted, "VBR_VM");
        assertThat(globex.get("reportedCount").asInt()).isEqualTo(globex.get("initialCount").asInt() - 2);
        final JsonNode missing = detail(report, uncollected);
        final List<String> servers = server.fleet().backupServersOf(uncollected);
        assertThat(missing.get("notCollectedClientServers")).extracting(JsonNode::asText)
                .containsExactly(servers.get(0));
        final Fleet.Series vms = server.fleet().series(Fleet.VSPC_USAGE + "/" + server.vspcCompanies()
                .get(uncollected) + "/VBR_VM");
        final int all = server.fleet().count(vms, veeamsInstant(vms));
        // the first server holds its even share of the workloads and the remainder's first one
        final int firstShare = all / servers.size() + (all % servers.size() > 0 ? 1 : 0);
        assertThat(line(report, uncollected, "VBR_VM").get("initialCount").asInt()).isEqualTo(all - firstShare);
        assertThat(line(report, "Vandelay Industries", "VBR_VM").get("usedPoints").decimalValue())
                .isEqualByComparingTo("4");

        final JsonNode truth = json(client.get("/_sim/truth?report=2026-10", null).body());
        final Map<String, String> causes = new HashMap<>();
        truth.get("variances").forEach(v -> causes.put(v.get("company").asText() + "|"
                + v.get("workloadType").asText(), v.get("cause").asText()));
        assertThat(causes).containsEntry(adjusted + "|VBR_VM", "ADJUSTED_IN_REPORT")
                .containsEntry(uncollected + "|VBR_VM", "NOT_COLLECTED")
                .containsEntry("Vandelay Industries|VBR_VM", "ONLY_IN_REPORT");
    }

    @Test
    void shouldLeaveOutOfTheReportACompanyWhoseUsageTheConsoleShows() throws Exception {
        final String left = "Globex";
        client.postJson("/_sim/reports", "{\"kind\":\"LEFT_OUT\",\"company\":\"" + left + "\"}");

        final JsonNode report = get(VspcApi.REPORTS + "2026-11-01").get("data").get(0);

        assertThat(schema("ReportsPage").validate(get(VspcApi.REPORTS + "2026-11-01"))).isEmpty();
        assertThat(report.get("usageDetails")).extracting(detail -> detail.get("organizationName").asText())
                .isNotEmpty().doesNotContain(left);
        final List<String> used = server.fleet().seriesOf(Fleet.VSPC_USAGE, left).stream()
                .filter(series -> server.fleet().count(series, veeamsInstant(series)) > 0)
                .map(series -> left + "|" + series.type()).toList();
        assertThat(used).as("the console's usage shows the company's workloads").isNotEmpty();
        final JsonNode truth = json(client.get("/_sim/truth?report=2026-10", null).body());
        final Map<String, String> causes = new HashMap<>();
        truth.get("variances").forEach(v -> causes.put(v.get("company").asText() + "|"
                + v.get("workloadType").asText(), v.get("cause").asText()));
        assertThat(used).allSatisfy(line -> assertThat(causes).containsEntry(line, "ONLY_IN_OURS"));
    }

    @Test
    void shouldNeedApprovalUntilApprovedOrTheFifth() throws Exception {
        client.postJson("/_sim/reports", "{\"approve\":\"2026-10\"}");
        assertThat(get(VspcApi.REPORTS + "2026-11-01").at("/data/0/reportStatus").asText()).isEqualTo("Approved");

        client.postJson("/_sim/reports", "{\"approve\":\"2026-09\"}");
        server.reports().clear();
        server.clock().set(Instant.parse("2026-11-04T23:59:59Z"));
        assertThat(get(VspcApi.REPORTS + "2026-11-01").at("/data/0/reportStatus").asText())
                .isEqualTo("ApprovalRequired");
        server.clock().set(Instant.parse("2026-11-05T00:00:00Z"));
        assertThat(get(VspcApi.REPORTS + "2026-11-01").at("/data/0/reportStatus").asText()).isEqualTo("Approved");
    }

    @Test
    void shouldRefuseEveryCallThatWouldChangeWhatVeeamBills() throws Exception {
        assertThat(client.post("/vspc/api/v3/licensing/reports/finalization", "", "Authorization", "Bearer " + key)
                .statusCode()).isEqualTo(403);
        assertThat(client.get("/vspc/api/v3/licensing/reports/settings", key).statusCode()).isEqualTo(403);

        assertThat(server.forbiddenCalls()).containsExactly("POST /api/v3/licensing/reports/finalization",
                "GET /api/v3/licensing/reports/settings");
    }

    /** Veeam counts console-managed agents at the month's maximum (its first hour), the rest at the last hour. */
    private Instant veeamsInstant(final Fleet.Series series) {
        if (!series.type().startsWith("VAC_")) {
            return NOVEMBER.minus(Duration.ofHours(1));
        }
        Instant peakAt = OCTOBER;
        for (Instant at = OCTOBER; at.isBefore(NOVEMBER); at = at.plus(Duration.ofHours(1))) {
            if (server.fleet().count(series, at) > server.fleet().count(series, peakAt)) {
                peakAt = at;
            }
        }
        return peakAt;
    }

    private String companyWithServers(final int atLeast) {
        return server.vspcCompanies().keySet().stream()
                .filter(company -> server.fleet().backupServersOf(company).size() >= atLeast)
                .filter(company -> !company.equals("Globex")).findFirst().orElseThrow();
    }

    private String companyOf(final String organizationUid) {
        return server.vspcCompanies().keySet().stream()
                .filter(company -> Fleet.organizationUid(company).toString().equals(organizationUid))
                .findFirst().orElseThrow();
    }

    private static JsonNode detail(final JsonNode report, final String company) {
        for (final JsonNode detail : report.get("usageDetails")) {
            if (detail.get("organizationName").asText().equals(company)) {
                return detail;
            }
        }
        throw new AssertionError("no usage details of " + company);
    }

    private static JsonNode line(final JsonNode report, final String company, final String type) {
        for (final JsonNode line : detail(report, company).at("/usageByLicenseAndProduct/0/workloadUsage")) {
            if (line.get("workloadType").asText().equals(type)) {
                return line;
            }
        }
        throw new AssertionError("no " + type + " line of " + company);
    }

    private JsonNode get(final String path) throws Exception {
        return json(client.get("/vspc" + path, key).body());
    }

    private static JsonSchema schema(final String name) throws Exception {
        final JsonNode document;
        try (InputStream in = LicenseReportsIT.class.getResourceAsStream(
                "/vspc-v3.6.1-licensing-openapi-extract.json")) {
            document = SimResponse.JSON.readTree(in);
        }
        final ObjectNode root = (ObjectNode) document.deepCopy();
        root.put("$ref", "#/components/schemas/" + name);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }
}
