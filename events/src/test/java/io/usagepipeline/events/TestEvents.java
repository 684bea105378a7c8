package io.usagepipeline.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;

/** Fixture factory: one valid record of every contract type, with the decimals that must stay exact. */
final class TestEvents {

    static final Instant SLOT = Instant.parse("2026-11-01T10:15:00Z");
    static final Instant POLLED = Instant.parse("2026-11-01T10:15:02.345Z");

    private TestEvents() {
    }

    static RawPoll completeVacPoll() {
        final String target = Keys.pollTarget("vac-eu", Endpoint.CLOUD_CONNECT_USAGE, "2");
        return new RawPoll(null, Ids.pollId(target, SLOT), "vac-eu", SourceKind.VAC, Endpoint.CLOUD_CONNECT_USAGE,
                "2", null, SLOT, POLLED, PollStatus.COMPLETE, null,
                List.of(json("[{\"type\":\"CC_Workstation_Backup\",\"rentalInstances\":1.6,\"newInstances\":0,"
                        + "\"usedInstances\":0,\"rentalCount\":2,\"newCount\":0,\"usedCount\":0}]")), 1,
                Map.of("2", "acme"));
    }

    static RawPoll failedAwsPoll() {
        final String target = Keys.pollTarget("aws-acme", Endpoint.LICENSED_WORKLOADS, null);
        return new RawPoll(null, Ids.pollId(target, SLOT), "aws-acme", SourceKind.VBA_AWS,
                Endpoint.LICENSED_WORKLOADS, null, "acme", SLOT, POLLED, PollStatus.FAILED,
                new PollError("HTTP", 503, "service unavailable after 5 attempts"), List.of(), 0, Map.of());
    }

    static Observation observation(final BigDecimal units) {
        return new Observation(null, Keys.seriesKey("acme", "vac-eu", "CC_Server_Backup"), "acme", "vac-eu",
                SourceKind.VAC, "CC_Server_Backup", "instances", POLLED,
                Ids.pollId("vac-eu/cloudConnectUsage/2", SLOT), units, 3,
                new TreeMap<>(Map.of("rentalUnits", new BigDecimal("0.33"), "newUnits", BigDecimal.ZERO)),
                false);
    }

    static PeriodRecord restated(final BigDecimal unitHours) {
        final String series = Keys.seriesKey("acme", "aws-acme", "AWS_EC2_INSTANCE");
        final Instant start = Instant.parse("2026-10-01T00:00:00Z");
        final String periodKey = Keys.periodKey(series, Granularity.MONTH, start);
        return new PeriodRecord(null, Ids.recordId(periodKey, 2), series, "acme", "aws-acme", SourceKind.VBA_AWS,
                "AWS_EC2_INSTANCE", "workloads", Granularity.MONTH, "UTC", start,
                Instant.parse("2026-11-01T00:00:00Z"), RecordStatus.RESTATED, 2, Ids.recordId(periodKey, 1),
                new BigDecimal("1.6"), new BigDecimal("0.33"), unitHours, new BigDecimal("1.6"), 2, 2, 2976,
                BigDecimal.ONE, start, Instant.parse("2026-10-31T23:45:00Z"), Instant.parse("2026-11-01T00:00:00Z"));
    }

    static PeriodRecord openTotal() {
        final String series = Keys.seriesKey("acme", "aws-acme", "AWS_EC2_INSTANCE");
        final Instant start = Instant.parse("2026-11-01T00:00:00Z");
        return new PeriodRecord(null, Ids.recordId(Keys.periodKey(series, Granularity.DAY, start), 0), series,
                "acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "workloads", Granularity.DAY, "UTC",
                start, Instant.parse("2026-11-02T00:00:00Z"), RecordStatus.OPEN, 0, null, new BigDecimal(4),
                new BigDecimal(4), new BigDecimal("41.25"), new BigDecimal(4), 4, 4, 42, new BigDecimal("0.427083"),
                start, POLLED, POLLED);
    }

    /** A restated tiered line of 150 instances: 100 at 6.00 and 50 at 5.00, 10 % off, 2 decimals. */
    static ChargeLine restatedCharge() {
        final String key = Keys.chargeKey("acme", "2026-10", "AWS_EC2_INSTANCE");
        return new ChargeLine(null, Ids.chargeId(key, 2), "acme", "2026-10", "UTC", "AWS_EC2_INSTANCE", "standard",
                "2026-01", "AVG_UNITS", new BigDecimal("150"), "instances", null,
                List.of(new ChargeLine.TierApplied(BigDecimal.ZERO, new BigDecimal("100"), new BigDecimal("6"),
                                new BigDecimal("100"), new BigDecimal("600")),
                        new ChargeLine.TierApplied(new BigDecimal("100"), null, new BigDecimal("5"),
                                new BigDecimal("50"), new BigDecimal("250"))),
                new BigDecimal("10"), new BigDecimal("765.00"), "EUR", true, new BigDecimal("150"),
                new BigDecimal("165.00"), new BigDecimal("600.00"), RecordStatus.RESTATED, 2,
                Ids.chargeId(key, 1), new BigDecimal("45.00"),
                List.of(Ids.recordId("acme|aws-acme|AWS_EC2_INSTANCE|MONTH|2026-10-01T00:00:00.000Z", 2)),
                Instant.parse("2026-11-01T00:00:00Z"));
    }

    static Alert unpricedAlert() {
        return Alert.started(AlertKind.UNPRICED, "acme|2026-10|CC_Server_Backup", "acme",
                Instant.parse("2026-11-01T00:00:00Z"), "no line of card standard matches CC_Server_Backup");
    }

    /** Initech's VBR_VM in October's report: 12 counted, adjusted to 11, 2 of them new, 1 point each. */
    static VendorReportLine reportLine() {
        return new VendorReportLine(null, "initech", "vspc-main", "VBR_VM", "2026-10", 42, ReportStatus.APPROVED,
                "2026-11-01", "6c1d3a9e-0b1f-3d6e-9a55-0e0c3f4b9a10", "Initech", 12, 11, 2, BigDecimal.ONE,
                new BigDecimal("9"), List.of("vbr-initech-2"), List.of(), List.of(),
                Ids.pollId("vspc-main/licenseReport/2026-10", Instant.parse("2026-11-02T10:00:00Z")), POLLED);
    }

    /** The reconciliation of {@link #reportLine()} against our 12 workloads: the adjustment explains the 3 points. */
    static Reconciliation reconciliation() {
        final String key = Keys.reconciliationKey("initech", "vspc-main", "VBR_VM", "2026-10");
        return new Reconciliation(null, Ids.reconciliationId(key, 2), "initech", "vspc-main", "VBR_VM", "2026-10",
                new BigDecimal("12"), new BigDecimal("9"), new BigDecimal("-3"), ReconciliationCause.ADJUSTED_IN_REPORT,
                "the report counts 11 of the 12 workloads Veeam found", ReportStatus.APPROVED, BigDecimal.ONE, 12L, 12L,
                11L, 2L, BigDecimal.ONE, 2, Ids.reconciliationId(key, 1), POLLED);
    }

    /** A workload type only Veeam's report has: no points of ours. */
    static Reconciliation onlyInReport() {
        final String key = Keys.reconciliationKey("soylent", "vspc-main", "VBR_VM", "2026-10");
        return new Reconciliation(null, Ids.reconciliationId(key, 1), "soylent", "vspc-main", "VBR_VM", "2026-10",
                null, new BigDecimal("4.5"), new BigDecimal("4.5"), ReconciliationCause.ONLY_IN_REPORT,
                "an organization we do not collect", ReportStatus.APPROVAL_REQUIRED, null, null, 5L, 5L, 0L,
                new BigDecimal("0.9"), 1, null, POLLED);
    }

    static DlqRecord dlq() {
        return new DlqRecord(null, DlqReason.MALFORMED_PAYLOAD, "cloudConnectUsage page 1 is not an array",
                Topics.RAW.baseName(), 3, 1234L, POLLED, "{\"oops\":true}");
    }

    static JsonNode json(final String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
