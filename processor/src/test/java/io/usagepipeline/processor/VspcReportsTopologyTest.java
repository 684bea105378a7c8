package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.DlqReason;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.VendorReportLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VSPC's usage per organization becomes series; its monthly license report becomes {@code usage.reports.v1} lines. */
class VspcReportsTopologyTest {

    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");
    private static final String INITECH_UID = "6c1d3a9e-0b1f-3d6e-9a55-0e0c3f4b9a10";
    private static final String OTHER_UID = "0a8c47f5-5d8e-3c59-8a3e-2f7e3d2c1b00";

    private final TopologyHarness harness = new TopologyHarness(ProcessorConfig.defaults());

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldSumAnOrganizationsWorkloadsOverItsServers() {
        harness.pipe(poll(Endpoint.ORGANIZATION_USAGE, "-", """
                {"meta":{"pagingInfo":{"total":2,"count":2,"offset":0}},"data":[
                 {"organizationUid":"%s","organizationType":"Company","servers":[
                   {"serverUid":"s1","serverType":"BackupAndReplication","workloads":[%s]},
                   {"serverUid":"s2","serverType":"BackupAndReplication","workloads":[%s]},
                   {"serverUid":"c1","serverType":"VSPC","workloads":[%s]}]},
                 {"organizationUid":"%s","organizationType":"Company","servers":[
                   {"serverUid":"s3","serverType":"BackupAndReplication","workloads":[%s]}]}]}"""
                .formatted(INITECH_UID, workload("VBR_VM", "1", 3, 1), workload("VBR_VM", "1", 2, 0),
                        workload("VAC_Workstation_Agent", "0.33", 4, 4), OTHER_UID, workload("VBR_VM", "1", 7, 0))));

        final Map<String, Observation> bySeries = harness.observations().stream()
                .collect(Collectors.toMap(Observation::seriesKey, Function.identity()));

        assertThat(bySeries).containsOnlyKeys(Keys.seriesKey("initech", "vspc", "VBR_VM"),
                Keys.seriesKey("initech", "vspc", "VAC_Workstation_Agent"),
                Keys.seriesKey(OTHER_UID, "vspc", "VBR_VM"));
        final Observation vms = bySeries.get(Keys.seriesKey("initech", "vspc", "VBR_VM"));
        assertThat(vms.units()).isEqualByComparingTo("5");
        assertThat(vms.count()).isEqualTo(5);
        assertThat(vms.unit()).isEqualTo("points");
        assertThat(vms.extra()).containsEntry("newCount", new BigDecimal("1")).containsEntry("weight", BigDecimal.ONE);
        final Observation agents = bySeries.get(Keys.seriesKey("initech", "vspc", "VAC_Workstation_Agent"));
        assertThat(agents.units()).isEqualByComparingTo("1.32");
        assertThat(agents.extra()).containsEntry("weight", new BigDecimal("0.33"));
    }

    @Test
    void shouldPublishOneLinePerOrganizationAndWorkloadType() {
        harness.pipe(poll(Endpoint.LICENSE_REPORT, "2026-10", """
                {"meta":{"pagingInfo":{"total":1,"count":1,"offset":0}},"data":[{
                  "reportStatus":"ApprovalRequired",
                  "reportParemeters":{"reportId":202610,"organizationName":"SP","organizationUid":"%s",
                    "licenseCompanyName":"SP","generationDate":"2026-11-01",
                    "reportInterval":{"startOfInterval":"2026-10-01","endOfInterval":"2026-10-31"}},
                  "notCollectedCloudServers":["cc-1"],
                  "usageDetails":[
                   {"organizationName":"Initech","organizationUid":"%s","notCollectedClientServers":["s2"],
                    "usageByLicenseAndProduct":[
                     {"licenseId":"l1","productType":"BackupAndReplication","usedPoints":9,
                      "workloadUsage":[%s]},
                     {"licenseId":"l2","productType":"BackupAndReplication","usedPoints":3,
                      "workloadUsage":[%s,%s]}]},
                   {"organizationName":"Vandelay Industries","organizationUid":"%s",
                    "usageByLicenseAndProduct":[{"licenseId":"l3","workloadUsage":[%s]}]}]}]}"""
                .formatted(OTHER_UID, INITECH_UID, line("VBR_VM", 10, 9, 0, "1", "9"),
                        line("VBR_VM", 3, 3, 1, "1", "2"), line("VAC_Workstation_Agent", 4, 4, 1, "0.33", "0.99"),
                        OTHER_UID, line("VBR_VM", 4, 4, 0, "1", "4"))));

        final Map<String, VendorReportLine> lines = harness.reports().stream()
                .collect(Collectors.toMap(TestRecord::key, TestRecord::value));

        assertThat(lines).containsOnlyKeys("initech|vspc|VBR_VM|2026-10", "initech|vspc|VAC_Workstation_Agent|2026-10",
                "vandelay-industries|vspc|VBR_VM|2026-10");
        final VendorReportLine vms = lines.get("initech|vspc|VBR_VM|2026-10");
        assertThat(List.of(vms.initialCount(), vms.reportedCount(), vms.newCount())).containsExactly(13L, 12L, 1L);
        assertThat(vms.usedPoints()).isEqualByComparingTo("11");
        assertThat(vms.weight()).isEqualByComparingTo("1");
        assertThat(vms.reportStatus()).isEqualTo(ReportStatus.APPROVAL_REQUIRED);
        assertThat(vms.reportId()).isEqualTo(202610);
        assertThat(vms.notCollected()).containsExactly("cc-1", "s2");
        assertThat(vms.organizationName()).isEqualTo("Initech");
        assertThat(lines.get("vandelay-industries|vspc|VBR_VM|2026-10").notCollected()).containsExactly("cc-1");
        assertThat(harness.observations()).as("a report is no usage series").isEmpty();
    }

    @Test
    void shouldSendAReportThatCannotBeReadToTheDlq() {
        harness.pipe(poll(Endpoint.LICENSE_REPORT, "2026-10", """
                {"data":[{"reportStatus":"Approved","reportParemeters":{"reportId":1,
                  "reportInterval":{"startOfInterval":"2026-10-01"}},
                  "usageDetails":[{"organizationName":"Initech","usageByLicenseAndProduct":[
                    {"workloadUsage":[{"initialCount":3,"usedPoints":3}]}]}]}]}"""));

        assertThat(harness.reports()).isEmpty();
        assertThat(harness.dlq()).singleElement().satisfies(dlq -> {
            assertThat(dlq.reason()).isEqualTo(DlqReason.MALFORMED_PAYLOAD);
            assertThat(dlq.detail()).contains("missing 'workloadType'");
        });
    }

    private static String workload(final String type, final String weight, final int used, final int fresh) {
        final BigDecimal w = new BigDecimal(weight);
        return """
                {"id":"w","description":"%s","unitType":"Points","rentalUnits":0.0,"newUnits":%s,"usedUnits":%s,
                 "rentalCount":0,"newCount":%d,"usedCount":%d,"workloadsByPlatform":[{"typeId":"%s","weight":%s}]}"""
                .formatted(type, w.multiply(BigDecimal.valueOf(fresh)), w.multiply(BigDecimal.valueOf(used)), fresh,
                        used, type, weight);
    }

    private static String line(final String type, final int initial, final int reported, final int fresh,
                               final String weight, final String points) {
        return """
                {"workloadType":"%s","initialCount":%d,"reportedCount":%d,"newCount":%d,"weight":%s,"usedPoints":%s}"""
                .formatted(type, initial, reported, fresh, weight, points);
    }

    /** A COMPLETE poll of the VSPC source {@code vspc}, which maps Initech by name and by organization UID. */
    private static RawPoll poll(final Endpoint endpoint, final String scope, final String page) {
        final String target = Keys.pollTarget("vspc", endpoint, scope);
        return new RawPoll(null, Ids.pollId(target, AT), "vspc", endpoint.sourceKind(), endpoint, scope, null, AT,
                AT, PollStatus.COMPLETE, null, List.of(Polls.json(page)), 1,
                Map.of("Initech", "initech", INITECH_UID, "initech"));
    }
}
