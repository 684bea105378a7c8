package io.usagepipeline.processor.normalize;

import static io.usagepipeline.processor.Polls.json;
import static io.usagepipeline.processor.Polls.seed;
import static io.usagepipeline.processor.Polls.seedText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Observation;
import io.usagepipeline.processor.Polls;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.TenantDirectory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The seed examples of the five Veeam pages normalize to the figures the pages show, in every dialect. */
class NormalizerTest {

    private static final Instant AT = Instant.parse("2026-11-01T10:00:00Z");
    private final Normalizer normalizer = new Normalizer(TenantDirectory.of(Map.of(
            "vac-eu", Map.of("2", "acme"),
            "vspc", Map.of("alpha", "alpha-corp"))), ProcessorConfig.DEFAULT_MAX_UNITS);

    @Nested
    class Vac {

        @Test
        void shouldNormalizeTheBackupServerUsageSeed() throws Exception {
            final Map<String, Observation> series = bySeries(vac(Endpoint.BACKUP_SERVER_USAGE,
                    seedText("vac-backupServerUsage.json")));

            assertThat(series.keySet()).containsExactlyInAnyOrder("acme|vac-eu|VBR_vSphere_VM",
                    "acme|vac-eu|VBR_Windows_Server_Agent", "acme|vac-eu|VBR_Windows_Workstation_Agent");
            assertLevel(series.get("acme|vac-eu|VBR_vSphere_VM"), "34", 34);
            assertThat(series.get("acme|vac-eu|VBR_vSphere_VM").extra()).containsEntry("newUnits", new BigDecimal("1"))
                    .containsEntry("newCount", new BigDecimal("1"));
            assertLevel(series.get("acme|vac-eu|VBR_Windows_Server_Agent"), "1", 1);
            assertLevel(series.get("acme|vac-eu|VBR_Windows_Workstation_Agent"), "0", 0);
            assertThat(series.get("acme|vac-eu|VBR_Windows_Workstation_Agent").extra())
                    .containsEntry("newUnits", new BigDecimal("0.33"));
            assertThat(series.get("acme|vac-eu|VBR_vSphere_VM").unit()).isEqualTo("instances");
        }

        @Test
        void shouldNormalizeTheCloudConnectUsageSeed() throws Exception {
            final Map<String, Observation> series = bySeries(vac(Endpoint.CLOUD_CONNECT_USAGE,
                    seedText("vac-cloudConnectUsage.json")));

            assertLevel(series.get("acme|vac-eu|CC_Workstation_Backup"), "0", 0);
            assertThat(series.get("acme|vac-eu|CC_Workstation_Backup").extra())
                    .containsEntry("rentalUnits", new BigDecimal("1.6"))
                    .containsEntry("rentalCount", new BigDecimal("10"));
            assertLevel(series.get("acme|vac-eu|CC_Server_Backup"), "0", 0);
            assertThat(series.get("acme|vac-eu|CC_Server_Backup").extra())
                    .containsEntry("rentalUnits", new BigDecimal("0.33"));
        }

        @Test
        void shouldReadTheUnitsDialectOfLaterBuildsTheSame() throws Exception {
            final String unitsDialect = seedText("vac-backupServerUsage.json")
                    .replace("Instances\"", "Units\"").replace("\"type\"", "\"unitType\": \"Instances\", \"type\"");

            final Map<String, Observation> series = bySeries(vac(Endpoint.BACKUP_SERVER_USAGE, unitsDialect));

            assertLevel(series.get("acme|vac-eu|VBR_vSphere_VM"), "34", 34);
            assertLevel(series.get("acme|vac-eu|VBR_Windows_Server_Agent"), "1", 1);
            assertThat(series.get("acme|vac-eu|VBR_Windows_Workstation_Agent").extra())
                    .containsEntry("newUnits", new BigDecimal("0.33"));
            assertThat(series.get("acme|vac-eu|VBR_vSphere_VM").unit()).isEqualTo("instances");
        }

        @Test
        void shouldNameAnUnmappedTenantAfterTheSource() throws Exception {
            final List<Observation> observations = normalizer.normalize(Polls.complete("vac-eu",
                    Endpoint.BACKUP_SERVER_USAGE, "7", null, AT, json("[{\"type\":\"VBR_vSphere_VM\",\"usedInstances\":3,\"usedCount\":3}]")));

            assertThat(observations).extracting(Observation::tenantId).containsExactly("vac-eu-7");
        }
    }

    @Test
    void shouldCountTheAwsSeedWorkloads() throws Exception {
        final List<Observation> observations = normalizer.normalize(Polls.complete("aws-acme",
                Endpoint.LICENSED_WORKLOADS, null, "acme", AT, seed("aws-licensedWorkloads.json")));

        assertThat(observations).singleElement().satisfies(o -> {
            assertThat(o.seriesKey()).isEqualTo("acme|aws-acme|AWS_EC2_INSTANCE");
            assertLevel(o, "4", 4);
        });
    }

    @Test
    void shouldCountAWorkloadRepeatedOnTwoPagesOnce() throws Exception {
        final List<Observation> observations = normalizer.normalize(Polls.complete("aws-acme",
                Endpoint.LICENSED_WORKLOADS, null, "acme", AT,
                json("{\"totalCount\":2,\"results\":[{\"id\":\"a\"},{\"id\":\"b\"}]}"),
                json("{\"totalCount\":2,\"results\":[{\"id\":\"b\"}]}")));

        assertLevel(observations.get(0), "2", 2);
    }

    @Test
    void shouldSumTheAzureSeedCostPerResourceType() throws Exception {
        final List<Observation> observations = normalizer.normalize(Polls.complete("azure-globex",
                Endpoint.LICENSE_RESOURCES, null, "globex", AT, seed("azure-licenseResources.json")));

        assertThat(observations).singleElement().satisfies(o -> {
            assertThat(o.seriesKey()).isEqualTo("globex|azure-globex|AZURE_VIRTUAL_MACHINE");
            assertLevel(o, "1", 1);
            assertThat(o.extra()).containsEntry("licensedState.LICENSED", BigDecimal.ONE);
        });
    }

    @Test
    void shouldReadAzureStringIdsAndFractionalCostsLikeNumericOnes() throws Exception {
        final String stringIds = seedText("azure-licenseResources.json").replace("\"id\": 1", "\"id\": \"1\"")
                .replace("\"cost\": 1", "\"cost\": 1.5");

        final List<Observation> observations = normalizer.normalize(Polls.complete("azure-globex",
                Endpoint.LICENSE_RESOURCES, null, "globex", AT, json(stringIds)));

        assertLevel(observations.get(0), "1.5", 1);
    }

    @Nested
    class Vspc {

        @Test
        void shouldGiveOneSeriesPerCompanyOfTheSeed() throws Exception {
            final Map<String, Observation> series = bySeries(normalizer.normalize(Polls.complete("vspc",
                    Endpoint.BACKUP_SERVERS, null, null, AT, seed("vspc-backupServers.json"))));

            assertThat(series.keySet()).containsExactlyInAnyOrder("alpha-corp|vspc|VBR_RENTAL_INSTANCES",
                    "beta|vspc|VBR_RENTAL_POINTS");
            assertLevel(series.get("alpha-corp|vspc|VBR_RENTAL_INSTANCES"), "0", 1);
            assertThat(series.get("alpha-corp|vspc|VBR_RENTAL_INSTANCES").extra())
                    .containsEntry("licensedUnits", new BigDecimal("1000"))
                    .containsEntry("edition.Enterprise Plus", BigDecimal.ONE);
            assertThat(series.get("beta|vspc|VBR_RENTAL_POINTS").unit()).isEqualTo("points");
        }

        /** Unmapped companies whose names differ only in letters outside a to z are two tenants, not one. */
        @Test
        void shouldKeepCompaniesApartWhoseNamesDifferOutsideTheLatinAlphabet() throws Exception {
            final String server = "{\"backupServerUid\":\"%s\",\"company\":\"%s\",\"type\":\"Rental\","
                    + "\"unitType\":\"Instances\",\"usedUnits\":%d}";
            final String page = "{\"data\":[" + String.join(",", server.formatted("s1", "Müller GmbH", 1),
                    server.formatted("s2", "Mo\u0308ller GmbH", 2), server.formatted("s3", "Möller GmbH", 3),
                    server.formatted("s4", "株式会社アルファ", 4), server.formatted("s5", "***", 5)) + "]}";

            final Map<String, Observation> series = bySeries(normalizer.normalize(Polls.complete("vspc",
                    Endpoint.BACKUP_SERVERS, null, null, AT, json(page))));

            // "Mo" and a combining diaeresis is how a name typed elsewhere may come: the same company as "Möller"
            assertThat(series.keySet()).containsExactlyInAnyOrder("müller-gmbh|vspc|VBR_RENTAL_INSTANCES",
                    "möller-gmbh|vspc|VBR_RENTAL_INSTANCES", "株式会社アルファ|vspc|VBR_RENTAL_INSTANCES",
                    "company-" + Integer.toHexString("***".hashCode()) + "|vspc|VBR_RENTAL_INSTANCES");
            assertLevel(series.get("möller-gmbh|vspc|VBR_RENTAL_INSTANCES"), "5", 2); // its two servers
            assertLevel(series.get("müller-gmbh|vspc|VBR_RENTAL_INSTANCES"), "1", 1);
        }

        /** A company mapped under its name is found whatever the casing and normal form VSPC sends it in. */
        @Test
        void shouldMatchAMappedCompanyComposedOrDecomposed() throws Exception {
            final Normalizer mapped = new Normalizer(TenantDirectory.of(Map.of("vspc", Map.of("Möller GmbH", "moeller",
                    "Cafe\u0301 Ltd", "cafe"))), ProcessorConfig.DEFAULT_MAX_UNITS);
            final String server = "{\"backupServerUid\":\"%s\",\"company\":\"%s\",\"type\":\"Rental\","
                    + "\"unitType\":\"Instances\",\"usedUnits\":%d}";
            final String page = "{\"data\":[" + String.join(",", server.formatted("s1", "MO\u0308LLER GMBH", 1),
                    server.formatted("s2", "möller gmbh ", 2), server.formatted("s3", "Café Ltd", 4)) + "]}";

            final Map<String, Observation> series = bySeries(mapped.normalize(Polls.complete("vspc",
                    Endpoint.BACKUP_SERVERS, null, null, AT, json(page))));

            assertThat(series.keySet()).containsExactlyInAnyOrder("moeller|vspc|VBR_RENTAL_INSTANCES",
                    "cafe|vspc|VBR_RENTAL_INSTANCES");
            assertLevel(series.get("moeller|vspc|VBR_RENTAL_INSTANCES"), "3", 2);
            assertLevel(series.get("cafe|vspc|VBR_RENTAL_INSTANCES"), "4", 1);
        }

        @Test
        void shouldReadThePascalCaseEnumsRealServersSendTheSame() throws Exception {
            final String pascal = seedText("vspc-backupServers.json").replace("\"instances\"", "\"Instances\"")
                    .replace("\"points\"", "\"Points\"").replace("\"rental\"", "\"Rental\"")
                    .replace("\"valid\"", "\"Valid\"").replace("\"usedUnits\": 0.0", "\"usedUnits\": 12.5");

            final Map<String, Observation> series = bySeries(normalizer.normalize(Polls.complete("vspc",
                    Endpoint.BACKUP_SERVERS, null, null, AT, json(pascal))));

            assertThat(series.keySet()).containsExactlyInAnyOrder("alpha-corp|vspc|VBR_RENTAL_INSTANCES",
                    "beta|vspc|VBR_RENTAL_POINTS");
            assertLevel(series.get("beta|vspc|VBR_RENTAL_POINTS"), "12.5", 1);
        }
    }

    @Test
    void shouldRejectPayloadsOfTheWrongShapeWithTheReason() {
        assertThatThrownBy(() -> vac(Endpoint.BACKUP_SERVER_USAGE, "{\"oops\":true}"))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("backupServerUsage page 1: expected a JSON array, found object");
        assertThatThrownBy(() -> vac(Endpoint.BACKUP_SERVER_USAGE, "[{\"type\":\"X\",\"usedInstances\":\"lots\"}]"))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("backupServerUsage page 1: 'usedInstances' is not a number: \"lots\"");
        assertThatThrownBy(() -> normalizer.normalize(Polls.complete("aws-acme", Endpoint.LICENSED_WORKLOADS, null,
                "acme", AT, json("{\"totalCount\":1,\"results\":[{\"name\":\"no id\"}]}"))))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("licensedWorkloads page 1: missing 'id'");
    }

    @Test
    void shouldRefuseFiguresNoFleetHasBeforeWorkingOnThem() {
        // valid JSON that would take a gigabyte to write out in full: refused at once
        for (final String figure : List.of("1e1000000000", "\"1e1000000000\"", "1e-1000000000", "1e400")) {
            assertThatThrownBy(() -> vac(Endpoint.BACKUP_SERVER_USAGE,
                    "[{\"type\":\"VBR_vSphere_VM\",\"usedInstances\":" + figure + ",\"usedCount\":1}]"))
                    .as(figure).isInstanceOf(ImplausibleFigureException.class)
                    .hasMessageContaining("backupServerUsage page 1: 'usedInstances' = ");
        }
        // within what a number can be, beyond processor.maxUnits (a billion by default)
        assertThatThrownBy(() -> vac(Endpoint.BACKUP_SERVER_USAGE,
                "[{\"type\":\"VBR_vSphere_VM\",\"usedInstances\":1000000000.5,\"usedCount\":1}]"))
                .isInstanceOf(ImplausibleFigureException.class)
                .hasMessage("acme|vac-eu|VBR_vSphere_VM: units 1000000000.5 is beyond processor.maxUnits (1000000000)");
    }

    @Test
    void shouldRefuseASumOverServersBeyondTheBound() {
        final Normalizer strict = new Normalizer(TenantDirectory.empty(), new BigDecimal("100"));
        final String server = "{\"backupServerUid\":\"%s\",\"company\":\"Alpha\",\"type\":\"Rental\","
                + "\"unitType\":\"Instances\",\"usedUnits\":60,\"units\":60}";
        final String page = "{\"data\":[" + server.formatted("s1") + "," + server.formatted("s2") + "]}";
        assertThatThrownBy(() -> strict.normalize(Polls.complete("vspc", Endpoint.BACKUP_SERVERS, null, null, AT,
                json(page)))).isInstanceOf(ImplausibleFigureException.class)
                .hasMessage("alpha|vspc|VBR_RENTAL_INSTANCES: units 120 is beyond processor.maxUnits (100)");
    }

    private List<Observation> vac(final Endpoint endpoint, final String page) throws MalformedPayloadException {
        return normalizer.normalize(Polls.complete("vac-eu", endpoint, "2", null, AT, json(page)));
    }

    private static Map<String, Observation> bySeries(final List<Observation> observations) {
        return observations.stream().collect(Collectors.toMap(Observation::seriesKey, Function.identity()));
    }

    private static void assertLevel(final Observation observation, final String units, final long count) {
        assertThat(observation.units()).isEqualByComparingTo(units);
        assertThat(observation.count()).isEqualTo(count);
        assertThat(observation.absent()).isFalse();
    }
}
