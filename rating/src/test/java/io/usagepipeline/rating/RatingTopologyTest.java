package io.usagepipeline.rating;

import static io.usagepipeline.rating.Fixtures.month;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.Topics;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.rating.Fixtures.Figures;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rater's topology end to end: billing records in, revised charge lines and UNPRICED alerts out. */
class RatingTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PeriodRecord> records;
    private TestOutputTopic<String, ChargeLine> charges;
    private TestOutputTopic<String, Alert> alerts;
    private TestInputTopic<String, VendorReportLine> reports;
    private TestOutputTopic<String, Reconciliation> reconciliation;

    @BeforeEach
    void start() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rating-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RatingTopology.build(Fixtures.card(),
                new RaterMetrics(new SimpleMeterRegistry()), RatingRun.live("")), props,
                Instant.parse("2026-04-01T03:00:00Z"));
        records = driver.createInputTopic(Topics.BILLING_RECORDS.baseName(),
                Topics.BILLING_RECORDS.keySerde().serializer(), Topics.BILLING_RECORDS.valueSerde().serializer());
        charges = driver.createOutputTopic(Topics.CHARGES.baseName(), Topics.CHARGES.keySerde().deserializer(),
                Topics.CHARGES.valueSerde().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.baseName(), Topics.ALERTS.keySerde().deserializer(),
                Topics.ALERTS.valueSerde().deserializer());
        reports = driver.createInputTopic(Topics.REPORTS.baseName(), Topics.REPORTS.keySerde().serializer(),
                Topics.REPORTS.valueSerde().serializer());
        reconciliation = driver.createOutputTopic(Topics.RECONCILIATION.baseName(),
                Topics.RECONCILIATION.keySerde().deserializer(), Topics.RECONCILIATION.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldRateTheRecordsOfAMonthThatCloseTogetherAsOneFinalLineEach() {
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        send(month("acme", "vspc", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(2, 2)));
        send(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        send(day(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("9", "9", "9", "9"))));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);

        final List<ChargeLine> lines = charges.readValuesToList();
        assertThat(lines).extracting(ChargeLine::line).containsExactly("CC_VM_Backup", "VBR_vSphere_VM",
                ChargeLine.TOTAL);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.status()).isEqualTo(RecordStatus.FINAL);
            assertThat(line.revision()).isEqualTo(1);
        });
        // VBR: (10 + 2) × 4.50 = 54.00, 10 % off = 48.60; CC: 5 × 3.00 = 15.00, 10 % off = 13.50
        assertThat(lines.get(2).amount()).isEqualTo(new BigDecimal("62.10"));
        assertThat(lines.get(2).delta()).isEqualTo(new BigDecimal("62.10"));
        assertThat(charges.isEmpty()).isTrue();
    }

    @Test
    void shouldWaitUntilAMonthHasHadNoNewRecordForTheSettlingTime() {
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE.minusSeconds(1));
        send(month("acme", "aws", "AWS_EC2_INSTANCE", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE.minusSeconds(1));
        assertThat(charges.isEmpty()).isTrue(); // the second record restarted the wait

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(charges.readValuesToList()).extracting(ChargeLine::line, ChargeLine::revision).containsExactly(
                tuple("AWS_EC2_INSTANCE", 1), tuple("VBR_vSphere_VM", 1), tuple(ChargeLine.TOTAL, 1));
    }

    @Test
    void shouldWaitForTheMonthOfASeriesThatHasDaysInItBeforeRatingTheMonth() {
        // a processor catching up: the partition of the CC series is days behind that of the VBR series
        send(day(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8))));
        send(day(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "120"))));
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE.multipliedBy(100));
        assertThat(charges.isEmpty()).isTrue();

        send(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        final List<ChargeLine> lines = charges.readValuesToList();
        assertThat(lines).extracting(ChargeLine::line, ChargeLine::status, ChargeLine::revision).containsExactly(
                tuple("CC_VM_Backup", RecordStatus.FINAL, 1), tuple("VBR_vSphere_VM", RecordStatus.FINAL, 1),
                tuple(ChargeLine.TOTAL, RecordStatus.FINAL, 1));
        // VBR: 10 × 4.50 = 45.00, 10 % off = 40.50; CC: 5 × 3.00 = 15.00, 10 % off = 13.50
        assertThat(lines.get(2).amount()).isEqualTo(new BigDecimal("54.00"));
    }

    @Test
    void shouldRateNoMonthWhileBillingRecordsKeepComing() {
        // a processor working through a backlog: acme's month has closed on one partition, and another partition
        // closes globex's days one after another, and will come to acme's other series only later
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        final PeriodRecord globex = month("globex", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(3, 3));
        for (int day = 1; day <= 20; day++) {
            driver.advanceWallClockTime(RatingRun.LIVE_SETTLE.minusSeconds(1));
            send(day(globex, day));
        }
        send(month("acme", "aws", "AWS_EC2_INSTANCE", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        assertThat(charges.isEmpty()).isTrue();

        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        assertThat(charges.readValuesToList()).extracting(ChargeLine::line, ChargeLine::status, ChargeLine::revision)
                .containsExactly(tuple("AWS_EC2_INSTANCE", RecordStatus.FINAL, 1),
                        tuple("VBR_vSphere_VM", RecordStatus.FINAL, 1), tuple(ChargeLine.TOTAL, RecordStatus.FINAL, 1));
    }

    @Test
    void shouldRateAMonthAfterTheLongestWaitEvenWhileBillingRecordsKeepComing() {
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        final PeriodRecord globex = month("globex", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(3, 3));
        final Duration step = RatingRun.LIVE_SETTLE.minusSeconds(1);
        for (Duration waited = Duration.ZERO; waited.compareTo(RatingRun.LIVE_MAX_WAIT) < 0; waited =
                waited.plus(step)) {
            assertThat(charges.isEmpty()).as("after %s", waited).isTrue();
            send(day(globex, 1)); // never a pause of the settling time
            driver.advanceWallClockTime(step);
        }

        assertThat(charges.readValuesToList()).extracting(ChargeLine::line, ChargeLine::amount).containsExactly(
                tuple("VBR_vSphere_VM", new BigDecimal("40.50")), tuple(ChargeLine.TOTAL, new BigDecimal("40.50")));
    }

    @Test
    void shouldRateAMonthWithoutASeriesWhoseMonthHasNotComeWithinTheWaitAndRestateItWhenItComes() {
        send(day(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8))));
        send(day(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "120"))));
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        driver.advanceWallClockTime(RatingRun.LIVE_MAX_WAIT.minusSeconds(1));
        assertThat(charges.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<ChargeLine> first = charges.readValuesToList();
        assertThat(first).extracting(ChargeLine::line, ChargeLine::amount).containsExactly(
                tuple("VBR_vSphere_VM", new BigDecimal("40.50")), tuple(ChargeLine.TOTAL, new BigDecimal("40.50")));

        send(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        assertThat(charges.readValuesToList()).extracting(ChargeLine::line, ChargeLine::revision, ChargeLine::amount,
                ChargeLine::delta).containsExactly(
                tuple("CC_VM_Backup", 1, new BigDecimal("13.50"), new BigDecimal("13.50")),
                tuple(ChargeLine.TOTAL, 2, new BigDecimal("54.00"), new BigDecimal("13.50")));
    }

    @Test
    void shouldPriceNothingOfAMonthThatHasOnlyClosedDays() {
        send(day(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8))));
        driver.advanceWallClockTime(RatingRun.LIVE_MAX_WAIT.multipliedBy(2));

        assertThat(charges.isEmpty()).isTrue();
        assertThat(reconciliation.isEmpty()).isTrue();
    }

    @Test
    void shouldPriceABoundedRunOnlyOnceItsInputIsReadAndThenWithoutWaiting() {
        driver.close();
        final AtomicBoolean read = new AtomicBoolean();
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rating-replay-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("replay").toString());
        driver = new TopologyTestDriver(RatingTopology.build(Fixtures.card(),
                new RaterMetrics(new SimpleMeterRegistry()),
                RatingRun.replay("", "", YearMonth.of(2026, 3), YearMonth.of(2026, 3)).pricedOnceRead(read::get)),
                props, Instant.parse("2026-04-01T03:00:00Z"));
        records = driver.createInputTopic(Topics.BILLING_RECORDS.baseName(),
                Topics.BILLING_RECORDS.keySerde().serializer(), Topics.BILLING_RECORDS.valueSerde().serializer());
        charges = driver.createOutputTopic(Topics.CHARGES.baseName(), Topics.CHARGES.keySerde().deserializer(),
                Topics.CHARGES.valueSerde().deserializer());

        // a loaded machine: the month's second record comes long after its first
        send(month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        // a series with days but no MONTH record in what the run read: no waiting for it
        send(day(month("acme", "aws", "AWS_EC2_INSTANCE", "2026-03", 1, Figures.units("5", "5", "5", "120"))));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE.multipliedBy(10));
        send(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE.multipliedBy(10));
        assertThat(charges.isEmpty()).isTrue();

        read.set(true);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<ChargeLine> lines = charges.readValuesToList();
        assertThat(lines).extracting(ChargeLine::line, ChargeLine::revision).containsExactly(
                tuple("CC_VM_Backup", 1), tuple("VBR_vSphere_VM", 1), tuple(ChargeLine.TOTAL, 1));
        // VBR: 10 × 4.50 = 45.00, 10 % off = 40.50; CC: 5 × 3.00 = 15.00, 10 % off = 13.50
        assertThat(lines.get(2).amount()).isEqualTo(new BigDecimal("54.00"));
    }

    @Test
    void shouldReviseALineAndTheTotalWhenARecordUnderItIsRestated() {
        final PeriodRecord first = month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8));
        send(first);
        send(month("acme", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("5", "5", "5", "3720")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        final List<ChargeLine> finals = charges.readValuesToList();

        send(first); // delivered again: nothing changes
        final PeriodRecord restated = month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 2, Figures.counts(12, 8));
        send(restated);
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        final List<ChargeLine> revised = charges.readValuesToList();

        assertThat(revised).extracting(ChargeLine::line).containsExactly("VBR_vSphere_VM", ChargeLine.TOTAL);
        final ChargeLine vbr = revised.get(0);
        assertThat(vbr.status()).isEqualTo(RecordStatus.RESTATED);
        assertThat(vbr.revision()).isEqualTo(2);
        assertThat(vbr.supersedes()).isEqualTo(finals.get(1).chargeId());
        assertThat(vbr.chargeId()).isEqualTo(Ids.chargeId(Keys.chargeKey("acme", "2026-03", "VBR_vSphere_VM"), 2));
        assertThat(vbr.amount()).isEqualTo(new BigDecimal("48.60")); // 12 × 4.50 = 54.00, 10 % off
        assertThat(vbr.delta()).isEqualTo(new BigDecimal("8.10")); // 48.60 − 10 × 4.50 × 0.9 = 48.60 − 40.50
        assertThat(vbr.billingRecordIds()).containsExactly(restated.recordId());
        final ChargeLine total = revised.get(1);
        assertThat(total.status()).isEqualTo(RecordStatus.RESTATED);
        assertThat(total.amount()).isEqualTo(new BigDecimal("62.10")); // 48.60 + 13.50
        assertThat(total.delta()).isEqualTo(new BigDecimal("8.10")); // 62.10 − (40.50 + 13.50)
        assertThat(total.supersedes()).isEqualTo(finals.get(2).chargeId());
    }

    @Test
    void shouldWithdrawATopUpThatARestatementMadeUnnecessary() {
        send(month("globex", "azure", "AZURE_VIRTUAL_MACHINE", "2026-03", 1, Figures.units("2", "2", "2", "1000")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        assertThat(charges.readValuesToList()).extracting(ChargeLine::line, ChargeLine::amount).containsExactly(
                tuple("AZURE_VIRTUAL_MACHINE", new BigDecimal("10.00")),
                tuple(ChargeLine.MINIMUM_TOP_UP, new BigDecimal("15.00")),
                tuple(ChargeLine.TOTAL, new BigDecimal("25.00")));

        send(month("globex", "azure", "AZURE_VIRTUAL_MACHINE", "2026-03", 2, Figures.units("2", "2", "2", "3000")));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        final List<ChargeLine> revised = charges.readValuesToList();

        assertThat(revised).extracting(ChargeLine::line, ChargeLine::amount, ChargeLine::delta).containsExactly(
                tuple(ChargeLine.MINIMUM_TOP_UP, new BigDecimal("0.00"),
                        new BigDecimal("-15.00")),
                tuple("AZURE_VIRTUAL_MACHINE", new BigDecimal("30.00"),
                        new BigDecimal("20.00")),
                tuple(ChargeLine.TOTAL, new BigDecimal("30.00"),
                        new BigDecimal("5.00")));
    }

    @Test
    void shouldRaiseOneUnpricedAlertForALineNoCardPrices() {
        send(month("bigco", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(4, 4)));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        send(month("bigco", "vac-eu", "VBR_vSphere_VM", "2026-03", 2, Figures.counts(5, 5)));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);

        final List<ChargeLine> lines = charges.readValuesToList();
        assertThat(lines).filteredOn(line -> line.line().equals("VBR_vSphere_VM"))
                .extracting(ChargeLine::priced, ChargeLine::revision)
                .containsExactly(tuple(false, 1),
                        tuple(false, 2));
        final List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).hasSize(1); // one episode, however many revisions it lasts
        assertThat(raised.get(0).kind()).isEqualTo(AlertKind.UNPRICED);
        assertThat(raised.get(0).subject()).isEqualTo("bigco|2026-03|VBR_vSphere_VM");
        assertThat(raised.get(0).resolvedAt()).isNull();
        assertThat(raised.get(0).detail()).startsWith("no line of card 'volume' (version 2026-01) matches "
                + "VBR_vSphere_VM");
    }

    @Test
    void shouldReviseTheReconciliationWhenTheReportIsApprovedWithAnAdjustedCount() {
        // the report is polled before our month has closed: nothing to compare with yet
        reports.pipeInput(Fixtures.reportLine("initech", "VBR_VM", ReportStatus.APPROVAL_REQUIRED, 12, 12, 0, "1",
                "12", "2026-11-01T00:30:00Z").reportKey(), Fixtures.reportLine("initech", "VBR_VM",
                ReportStatus.APPROVAL_REQUIRED, 12, 12, 0, "1", "12", "2026-11-01T00:30:00Z"));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        assertThat(reconciliation.readValuesToList()).isEmpty();

        send(Fixtures.vspcMonth("initech", "VBR_VM", "2026-10", 1, "12", "12", 12, 12, "1"));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        final Reconciliation first = reconciliation.readValuesToList().get(0);
        assertThat(first.cause()).isEqualTo(ReconciliationCause.NONE);
        assertThat(first.revision()).isEqualTo(1);

        // the provider approves the report with one VM less: Veeam bills 11, we count 12
        final VendorReportLine approved = Fixtures.reportLine("initech", "VBR_VM", ReportStatus.APPROVED, 12, 11, 0,
                "1", "11", "2026-11-03T10:00:00Z");
        reports.pipeInput(approved.reportKey(), approved);
        reports.pipeInput(approved.reportKey(), approved); // the same poll again changes nothing
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);

        final List<Reconciliation> revised = reconciliation.readValuesToList();
        assertThat(revised).singleElement().satisfies(line -> {
            assertThat(line.cause()).isEqualTo(ReconciliationCause.ADJUSTED_IN_REPORT);
            assertThat(line.reportStatus()).isEqualTo(ReportStatus.APPROVED);
            assertThat(line.variance()).isEqualByComparingTo("-1");
            assertThat(line.revision()).isEqualTo(2);
            assertThat(line.supersedes()).isEqualTo(first.reconciliationId());
            assertThat(line.reconciliationKey()).isEqualTo("initech|vspc|VBR_VM|2026-10");
        });
    }

    @Test
    void shouldFindATenantTheReportListsNoLineForWhicheverComesFirst() {
        // hooli's month closes before the report is polled, initech's after; the report lists initech only
        send(Fixtures.vspcMonth("hooli", "VBR_VM", "2026-10", 1, "7", "7", 7, 7, "1"));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        assertThat(reconciliation.readValuesToList()).as("no report of October polled yet").isEmpty();

        final VendorReportLine initech = Fixtures.reportLine("initech", "VBR_VM", ReportStatus.APPROVAL_REQUIRED, 12,
                12, 0, "1", "12", "2026-11-01T08:00:00Z");
        reports.pipeInput(initech.reportKey(), initech);
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        send(Fixtures.vspcMonth("initech", "VBR_VM", "2026-10", 1, "12", "12", 12, 12, "1"));
        send(Fixtures.vspcMonth("umbrella", "VBR_Server_Agent", "2026-10", 1, "5", "4", 5, 4, "1"));
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);

        final Map<String, Reconciliation> first = new TreeMap<>();
        reconciliation.readValuesToList().forEach(line -> first.put(line.reconciliationKey(), line));
        assertThat(first).containsOnlyKeys("hooli|vspc|VBR_VM|2026-10", "initech|vspc|VBR_VM|2026-10",
                "umbrella|vspc|VBR_Server_Agent|2026-10");
        assertThat(first.get("initech|vspc|VBR_VM|2026-10").cause()).isEqualTo(ReconciliationCause.NONE);
        assertThat(first.get("hooli|vspc|VBR_VM|2026-10")).satisfies(line -> {
            assertThat(line.cause()).isEqualTo(ReconciliationCause.ONLY_IN_OURS);
            assertThat(line.variance()).isEqualByComparingTo("-7");
            assertThat(line.reportStatus()).isEqualTo(ReportStatus.APPROVAL_REQUIRED);
        });
        assertThat(first.get("umbrella|vspc|VBR_Server_Agent|2026-10").variance()).isEqualByComparingTo("-4");

        // polled again, unchanged: nothing; then approved, still without them: a revision saying it is final
        final VendorReportLine again = Fixtures.reportLine("initech", "VBR_VM", ReportStatus.APPROVAL_REQUIRED, 12,
                12, 0, "1", "12", "2026-11-01T09:00:00Z");
        reports.pipeInput(again.reportKey(), again);
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);
        assertThat(reconciliation.readValuesToList()).isEmpty();
        final VendorReportLine approved = Fixtures.reportLine("initech", "VBR_VM", ReportStatus.APPROVED, 12, 12, 0,
                "1", "12", "2026-11-03T10:00:00Z");
        reports.pipeInput(approved.reportKey(), approved);
        driver.advanceWallClockTime(RatingRun.LIVE_SETTLE);

        final List<Reconciliation> revised = reconciliation.readValuesToList();
        assertThat(revised).extracting(Reconciliation::reconciliationKey).containsExactlyInAnyOrder(
                "hooli|vspc|VBR_VM|2026-10", "initech|vspc|VBR_VM|2026-10",
                "umbrella|vspc|VBR_Server_Agent|2026-10");
        assertThat(revised).filteredOn(line -> !line.tenantId().equals("initech")).allSatisfy(line -> {
            assertThat(line.cause()).isEqualTo(ReconciliationCause.ONLY_IN_OURS);
            assertThat(line.revision()).isEqualTo(2);
            assertThat(line.reportStatus()).isEqualTo(ReportStatus.APPROVED);
            assertThat(line.supersedes()).isEqualTo(first.get(line.reconciliationKey()).reconciliationId());
            assertThat(line.detail()).endsWith("(the report is approved already)");
        });
    }

    private void send(final PeriodRecord record) {
        records.pipeInput(record.periodKey(), record);
    }

    private static PeriodRecord day(final PeriodRecord month) {
        return day(month, 1);
    }

    /** The DAY record of one day of a series' month, with the month's figures (the rater prices no DAY). */
    private static PeriodRecord day(final PeriodRecord month, final int dayOfMonth) {
        final Instant start = month.periodStart().plus(Duration.ofDays(dayOfMonth - 1));
        return new PeriodRecord(null, month.recordId(), month.seriesKey(), month.tenantId(), month.sourceId(),
                month.sourceKind(), month.licenseType(), month.unit(), Granularity.DAY, month.zone(),
                start, start.plus(Duration.ofDays(1)), month.status(), month.revision(),
                month.supersedes(), month.peakUnits(), month.avgUnits(), month.unitHours(), month.lastUnits(),
                month.peakCount(), month.lastCount(), month.samples(), month.coverage(), month.firstObservedAt(),
                month.lastObservedAt(), start.plus(Duration.ofDays(1)));
    }
}
