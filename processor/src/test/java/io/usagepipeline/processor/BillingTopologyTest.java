package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.DlqReason;
import io.usagepipeline.events.DlqRecord;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The billing semantics of DESIGN §4 through the real topology, each expected figure worked out by hand in the
 * comments. Defaults: maxGap 3 h, grace 2 h, horizon 35 days, UTC.
 */
class BillingTopologyTest {

    private static final String AWS = "acme|aws-acme|AWS_EC2_INSTANCE";
    private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
    /** A poll the next day at 03:00: stream time passes 03-11 02:00, the end of the 03-10 grace. */
    private static final Instant CLOSES_DAY = Instant.parse("2026-03-11T03:00:00Z");

    private TopologyHarness harness = new TopologyHarness(ProcessorConfig.defaults());

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldBillASteadyLevelForTheWholeDay() {
        hourly(DAY, 0, 23, 4);
        harness.pipe(Polls.aws(CLOSES_DAY, 4));

        final PeriodRecord day = only(harness.billing(), AWS, Granularity.DAY, DAY);
        // 24 hours at 4: 96 unit-hours; the 23:00 step lasts to midnight (the next poll is within maxGap)
        assertFigures(day, "4", "4", "96", "4", 4, 4, 24, "1");
        assertThat(day.status()).isEqualTo(RecordStatus.FINAL);
        assertThat(day.revision()).isEqualTo(1);
        assertThat(day.supersedes()).isNull();
        assertThat(day.recordId()).isEqualTo(Ids.recordId(Keys.periodKey(AWS, Granularity.DAY, DAY), 1));
        assertThat(day.periodEnd()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        assertThat(day.firstObservedAt()).isEqualTo(DAY);
        assertThat(day.lastObservedAt()).isEqualTo(Instant.parse("2026-03-10T23:00:00Z"));
        assertThat(day.asOf()).isEqualTo(day.periodEnd());
        assertThat(day.tenantId()).isEqualTo("acme");
        assertThat(day.unit()).isEqualTo("instances");
    }

    @Test
    void shouldWeighAChangeMidPeriodByTime() {
        hourly(DAY, 0, 11, 4);
        hourly(DAY, 12, 23, 6);
        harness.pipe(Polls.aws(CLOSES_DAY, 6));

        // 12 h at 4 + 12 h at 6 = 120 unit-hours over 24 known hours: average 5
        assertFigures(only(harness.billing(), AWS, Granularity.DAY, DAY), "6", "5", "120", "6", 6, 6, 24, "1");
    }

    @Test
    void shouldCountARemovedSeriesAsAKnownZero() {
        for (int hour = 0; hour <= 11; hour++) {
            harness.pipe(Polls.vac(DAY.plus(Duration.ofHours(hour)), "VBR_A", 2, "VBR_B", 3));
        }
        for (int hour = 12; hour <= 23; hour++) {
            harness.pipe(Polls.vac(DAY.plus(Duration.ofHours(hour)), "VBR_A", 2));
        }
        harness.pipe(Polls.vac(CLOSES_DAY, "VBR_A", 2));

        final List<Observation> absent = harness.observations().stream().filter(Observation::absent).toList();
        // B is absent from the 12 polls of 12:00..23:00 and from the closing poll
        assertThat(absent).hasSize(13).allSatisfy(o -> {
            assertThat(o.seriesKey()).isEqualTo("vac-eu-2|vac-eu|VBR_B");
            assertThat(o.units()).isEqualByComparingTo("0");
            assertThat(o.count()).isZero();
        });
        // 12 h at 3, then 12 h at a known 0: 36 unit-hours, average 1.5, full coverage
        assertFigures(only(harness.billing(), "vac-eu-2|vac-eu|VBR_B", Granularity.DAY, DAY),
                "3", "1.5", "36", "0", 3, 0, 24, "1");
    }

    @Test
    void shouldLeaveAGapLongerThanMaxGapUnknown() {
        hourly(DAY, 0, 6, 4);
        for (int hour = 7; hour <= 17; hour++) {
            harness.pipe(Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme",
                    DAY.plus(Duration.ofHours(hour))));
        }
        hourly(DAY, 18, 23, 4);
        harness.pipe(Polls.aws(CLOSES_DAY, 4));

        // known: 00:00-06:00 (6 h), the 06:00 level for maxGap 06:00-09:00 (3 h), 18:00-24:00 (6 h) = 15 h of 24
        assertFigures(only(harness.billing(), AWS, Granularity.DAY, DAY), "4", "4", "60", "4", 4, 4, 13, "0.625");
    }

    @Test
    void shouldCarryTheLevelInAcrossThePeriodStart() {
        harness.pipe(Polls.aws(Instant.parse("2026-03-10T23:00:00Z"), 4));
        harness.pipe(Polls.aws(Instant.parse("2026-03-11T01:00:00Z"), 8));
        harness.pipe(Polls.aws(Instant.parse("2026-03-12T05:00:00Z"), 8));

        // 03-11: 4 carried in 00:00-01:00 (4), 8 from 01:00 for maxGap to 04:00 (24): 28 unit-hours in 4 known hours
        assertFigures(only(harness.billing(), AWS, Granularity.DAY, Instant.parse("2026-03-11T00:00:00Z")),
                "8", "7", "28", "8", 8, 8, 1, "0.166667");
    }

    @Test
    void shouldGiveADayKnownOnlyByItsCarriedInLevelARecordSoThatTheDaysAddUpToTheMonth() {
        final Instant march30 = Instant.parse("2026-03-30T00:00:00Z");
        final Instant march31 = Instant.parse("2026-03-31T00:00:00Z");
        hourly(march30, 0, 23, 4);
        // nothing on the 31st: the target stopped answering; a poll on April 2nd closes March
        harness.pipe(Polls.aws(Instant.parse("2026-04-02T03:00:00Z"), 4));

        final List<PeriodRecord> billing = harness.billing();
        // the 23:00 level holds for maxGap, 3 h: 1 h on the 30th, 2 h on the 31st, with no sample of its own
        assertFigures(only(billing, AWS, Granularity.DAY, march30), "4", "4", "96", "4", 4, 4, 24, "1");
        assertFigures(only(billing, AWS, Granularity.DAY, march31), "4", "4", "8", "4", 4, 4, 0, "0.083333");
        final PeriodRecord month = only(billing, AWS, Granularity.MONTH, Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(month.unitHours()).isEqualByComparingTo("104");
        assertThat(billing.stream().filter(record -> record.granularity() == Granularity.DAY
                        && record.periodStart().isBefore(month.periodEnd()))
                .map(PeriodRecord::unitHours).reduce(BigDecimal.ZERO, BigDecimal::add))
                .as("the days add up to the month").isEqualByComparingTo(month.unitHours());
        assertThat(billing).as("April 1st: the level ended on March 31st at 02:00").noneMatch(record ->
                record.periodStart().equals(Instant.parse("2026-04-01T00:00:00Z")));
        assertThat(harness.totals()).as("no OPEN total for a day known only by its carried-in level")
                .noneMatch(total -> total.value() != null && total.value().periodStart().equals(march31)
                        && total.value().granularity() == Granularity.DAY);
    }

    @Test
    void shouldBillCalendarMonthsOf28And30And31Days() {
        Instant at = Instant.parse("2026-02-01T00:00:00Z");
        while (!at.isAfter(Instant.parse("2026-05-01T03:00:00Z"))) {
            harness.pipe(Polls.aws(at, 2));
            at = at.plus(Duration.ofHours(3));
        }

        final List<PeriodRecord> records = harness.billing();
        // polls every 3 h = maxGap: every hour is known. 2 units x 24 h x days
        assertFigures(only(records, AWS, Granularity.MONTH, Instant.parse("2026-02-01T00:00:00Z")),
                "2", "2", "1344", "2", 2, 2, 28 * 8, "1");
        assertFigures(only(records, AWS, Granularity.MONTH, Instant.parse("2026-03-01T00:00:00Z")),
                "2", "2", "1488", "2", 2, 2, 31 * 8, "1");
        assertFigures(only(records, AWS, Granularity.MONTH, Instant.parse("2026-04-01T00:00:00Z")),
                "2", "2", "1440", "2", 2, 2, 30 * 8, "1");
    }

    @Test
    void shouldBillALocalDayOf23HoursAcrossTheDstChange() {
        harness.close();
        harness = new TopologyHarness(ProcessorConfig.defaults().withBillingZone(ZoneId.of("Europe/Berlin"), Map.of()));
        // Berlin 2026-03-29: 00:00 CET = 03-28T23:00Z to 24:00 CEST = 03-29T22:00Z, 23 hours
        final Instant localMidnight = Instant.parse("2026-03-28T23:00:00Z");
        hourly(localMidnight, 0, 22, 1);
        harness.pipe(Polls.aws(Instant.parse("2026-03-30T01:00:00Z"), 1));

        final PeriodRecord day = only(harness.billing(), AWS, Granularity.DAY, localMidnight);
        assertThat(day.zone()).isEqualTo("Europe/Berlin");
        assertThat(day.periodEnd()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertFigures(day, "1", "1", "23", "1", 1, 1, 23, "1");
    }

    @Test
    void shouldDropADuplicatePoll() {
        harness.pipe(Polls.aws(DAY, 4)).pipe(Polls.aws(DAY.plusSeconds(3600), 4));
        final int totalsBefore = harness.totals().size();

        harness.pipe(Polls.aws(DAY.plusSeconds(3600), 4));

        assertThat(harness.observations()).hasSize(2);
        assertThat(harness.counter("usage.processor.duplicate.polls")).isEqualTo(1);
        assertThat(totalsBefore).isPositive();
        assertThat(harness.totals()).isEmpty();
    }

    @Test
    void shouldFoldAnOutOfOrderPollWithinGraceAsIfInOrder() {
        hourly(DAY, 0, 11, 4);
        hourly(DAY, 13, 15, 4);
        harness.pipe(Polls.aws(DAY.plus(Duration.ofHours(12)), 10));
        hourly(DAY, 16, 23, 4);
        harness.pipe(Polls.aws(CLOSES_DAY, 4));

        final List<PeriodRecord> records = harness.billing();
        // 23 h at 4 + 1 h at 10 = 102
        assertFigures(only(records, AWS, Granularity.DAY, DAY), "10", "4.25", "102", "4", 10, 4, 24, "1");
        assertThat(records).filteredOn(r -> r.periodStart().equals(DAY) && r.granularity() == Granularity.DAY)
                .hasSize(1);
    }

    @Test
    void shouldRestateAClosedPeriodHitByALatePoll() {
        hourly(DAY, 0, 11, 4);
        hourly(DAY, 13, 23, 4);
        harness.pipe(Polls.aws(CLOSES_DAY, 4));
        final PeriodRecord first = only(harness.billing(), AWS, Granularity.DAY, DAY);
        // the 11:00 level covers the missing 12:00 poll: 96
        assertFigures(first, "4", "4", "96", "4", 4, 4, 23, "1");

        harness.pipe(Polls.aws(DAY.plus(Duration.ofHours(12)), 10));

        final PeriodRecord restated = only(harness.billing(), AWS, Granularity.DAY, DAY);
        assertThat(restated.status()).isEqualTo(RecordStatus.RESTATED);
        assertThat(restated.revision()).isEqualTo(2);
        assertThat(restated.supersedes()).isEqualTo(first.recordId());
        assertThat(restated.recordId()).isEqualTo(Ids.recordId(first.periodKey(), 2));
        assertFigures(restated, "10", "4.25", "102", "4", 10, 4, 24, "1");
    }

    @Test
    void shouldSendAPollOlderThanTheHorizonToTheDlq() {
        harness.pipe(Polls.aws(CLOSES_DAY, 4));

        harness.pipe(Polls.aws(CLOSES_DAY.minus(Duration.ofDays(36)), 7));

        assertThat(harness.dlq()).singleElement().satisfies(dlq -> {
            assertThat(dlq.reason()).isEqualTo(DlqReason.LATE_BEYOND_HORIZON);
            assertThat(dlq.payload()).contains("\"pollId\"");
        });
        assertThat(harness.observations()).hasSize(1);
        assertThat(harness.counter("usage.processor.dlq", "reason", "LATE_BEYOND_HORIZON")).isEqualTo(1);
    }

    @Test
    void shouldSendBadInputToTheDlqAndKeepProcessing() {
        harness.pipe(Polls.complete("vac-eu", Endpoint.BACKUP_SERVER_USAGE, "2", null, DAY,
                Polls.json("{\"unexpected\":\"object\"}")));
        harness.pipeBytes("vac-eu/backupServerUsage/2", "this is not json", DAY.plusSeconds(60));
        harness.pipe(Polls.vac(DAY.plusSeconds(120), "VBR_A", 5));

        final List<DlqRecord> dlq = harness.dlq();
        assertThat(dlq).extracting(DlqRecord::reason)
                .containsExactly(DlqReason.MALFORMED_PAYLOAD, DlqReason.MALFORMED_RECORD);
        assertThat(dlq.get(0).detail()).isEqualTo("vac-eu/backupServerUsage/2: backupServerUsage page 1: expected a "
                + "JSON array, found object");
        assertThat(dlq.get(1).payload()).isEqualTo("this is not json");
        assertThat(dlq.get(1).offset()).isEqualTo(1);
        assertThat(harness.observations()).singleElement()
                .satisfies(o -> assertThat(o.units()).isEqualByComparingTo("5"));
    }

    @Test
    void shouldSendPoisonAndImplausibleFiguresToTheDlqAndKeepProcessing() {
        final String poll = rawText(Polls.vac(DAY, "VBR_A", 7));
        // valid JSON, and a gigabyte of digits once written out: it used to stop the instance in a crash loop
        harness.pipeBytes("vac-eu/backupServerUsage/2",
                poll.replace("\"usedInstances\":7", "\"usedInstances\":1e1000000000"), DAY);
        // a 401-digit figure that used to be billed as a FINAL record
        harness.pipeBytes("vac-eu/backupServerUsage/2", rawText(Polls.vac(DAY.plusSeconds(60), "VBR_A", "1e400")),
                DAY.plusSeconds(60));
        harness.pipe(Polls.vac(DAY.plusSeconds(120), "VBR_A", 5));

        assertThat(harness.dlq()).extracting(DlqRecord::reason)
                .containsExactly(DlqReason.IMPLAUSIBLE_FIGURE, DlqReason.IMPLAUSIBLE_FIGURE);
        assertThat(harness.observations()).singleElement()
                .satisfies(o -> assertThat(o.units()).isEqualByComparingTo("5"));
        assertThat(harness.counter("usage.processor.dlq", "reason", "IMPLAUSIBLE_FIGURE")).isEqualTo(2);
    }

    @Test
    void shouldCutAHugeBadValueInTheDlqAndSayHowBigItWas() throws Exception {
        final byte[] value = new byte[12 * 1024 * 1024];
        Arrays.fill(value, (byte) 1); // control characters: six bytes each once escaped as JSON
        harness.pipeBytes("vac-eu/backupServerUsage/2", new String(value, StandardCharsets.UTF_8),
                DAY);

        final DlqRecord dlq = harness.dlq().get(0);
        assertThat(dlq.reason()).isEqualTo(DlqReason.MALFORMED_RECORD);
        assertThat(dlq.payload()).hasSize(256 * 1024);
        final String digest = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(value));
        assertThat(dlq.detail()).endsWith("(payload cut to its first 262144 of 12582912 bytes; SHA-256 of the whole "
                + "value: " + digest + ")");
    }

    @Test
    void shouldSendAPollFromTheFutureToTheDlqWithoutClosingAnything() {
        harness.pipe(Polls.aws(DAY.plus(Duration.ofHours(10)), 4));
        // days ahead of the wall clock (a broken collector clock): it would move stream time past every open period
        final Instant future = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        harness.pipe(Polls.aws(future, 9));
        harness.pipe(Polls.aws(DAY.plus(Duration.ofHours(11)), 4));

        assertThat(harness.dlq()).singleElement().satisfies(dlq -> {
            assertThat(dlq.reason()).isEqualTo(DlqReason.AHEAD_OF_CLOCK);
            assertThat(dlq.detail()).startsWith("stamped " + future + ", more than PT1H ahead of this processor's "
                    + "clock");
        });
        assertThat(harness.observations()).hasSize(2);
        assertThat(harness.billing()).as("nothing closed early").isEmpty();
    }

    private static String rawText(final RawPoll poll) {
        return new String(Topics.RAW.valueSerde().serializer().serialize("raw", poll),
                StandardCharsets.UTF_8);
    }

    @Test
    void shouldChangeNoFigureForAFailedPoll() {
        hourly(DAY, 0, 11, 4);
        final int totalsBefore = harness.totals().size();
        harness.pipe(Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme",
                DAY.plus(Duration.ofMinutes(11 * 60 + 30))));
        assertThat(totalsBefore).isPositive();
        assertThat(harness.totals()).isEmpty();
        assertThat(harness.observations()).hasSize(12);

        hourly(DAY, 12, 23, 4);
        harness.pipe(Polls.aws(CLOSES_DAY, 4));
        assertFigures(only(harness.billing(), AWS, Granularity.DAY, DAY), "4", "4", "96", "4", 4, 4, 24, "1");
    }

    @Test
    void shouldPublishRollingTotalsUpToTheLatestObservationAndRemoveThemOnClose() {
        hourly(DAY, 0, 6, 4);

        final List<TestRecord<String, PeriodRecord>> totals = harness.totals();
        final PeriodRecord latestDay = totals.stream().map(TestRecord::value)
                .filter(t -> t.granularity() == Granularity.DAY).reduce((a, b) -> b).orElseThrow();
        // evaluated up to 06:00, no extrapolation: 6 h at 4 of a 24 h day
        assertThat(latestDay.status()).isEqualTo(RecordStatus.OPEN);
        assertThat(latestDay.revision()).isZero();
        assertThat(latestDay.asOf()).isEqualTo(Instant.parse("2026-03-10T06:00:00Z"));
        assertFigures(latestDay, "4", "4", "24", "4", 4, 4, 7, "0.25");

        hourly(DAY, 7, 23, 4);
        harness.pipe(Polls.aws(CLOSES_DAY, 4));
        final String dayKey = Keys.periodKey(AWS, Granularity.DAY, DAY);
        assertThat(harness.totals()).filteredOn(record -> record.key().equals(dayKey)).last()
                .satisfies(tombstone -> assertThat(tombstone.value()).isNull());
    }

    @Test
    void shouldForgetWhatTheHorizonNoLongerReaches() {
        harness.close();
        harness = new TopologyHarness(new ProcessorConfig("", ProcessorConfig.DEFAULT_MAX_GAP,
                ProcessorConfig.DEFAULT_GRACE, Duration.ofDays(2), ZoneId.of("UTC"), Map.of(), TenantDirectory.empty()));
        final Instant start = Instant.parse("2026-01-01T00:00:00Z");
        final Instant end = start.plus(Duration.ofDays(45));
        for (Instant at = start; at.isBefore(end); at = at.plus(Duration.ofHours(1))) {
            harness.pipe(Polls.aws(at, 3));
        }

        // history is kept for horizon + the longest month + maxGap + grace: 2 d + 31 d + 5 h before stream time
        final Instant streamTime = end.minus(Duration.ofHours(1));
        final Instant oldestKept = streamTime.minus(Duration.ofDays(33)).minus(Duration.ofHours(5));
        final List<Instant> history = harness.historyOf("acme|aws-acme|AWS_EC2_INSTANCE");
        assertThat(history).hasSizeLessThan(45 * 24).isSorted();
        assertThat(history.get(0)).isAfterOrEqualTo(oldestKept).isBeforeOrEqualTo(oldestKept.plus(Duration.ofHours(1)));
        // closed days that ended before the horizon are gone, and so is January (closed, ended 2026-02-01);
        // February is still open and stays. Pruning runs weekly from the first poll (Jan 1): the last ran at Feb 12
        // 00:00 (horizon: Feb 10 00:00), so the days of Feb 9 (it ends Feb 10) to 14 are left
        final List<String> periods = harness.periodKeys();
        assertThat(periods).filteredOn(key -> key.contains("|DAY|")).hasSize(6).allSatisfy(key ->
                assertThat(Instant.parse(key.substring(key.lastIndexOf('|') + 1)))
                        .isAfterOrEqualTo(Instant.parse("2026-02-09T00:00:00Z")));
        assertThat(periods).filteredOn(key -> key.contains("|MONTH|"))
                .containsExactly("acme|aws-acme|AWS_EC2_INSTANCE|MONTH|2026-02-01T00:00:00.000Z");
    }

    private void hourly(final Instant dayStart, final int fromHour, final int toHour, final int level) {
        for (int hour = fromHour; hour <= toHour; hour++) {
            harness.pipe(Polls.aws(dayStart.plus(Duration.ofHours(hour)), level));
        }
    }

    /** The one record of a period in the list (the latest revision if there are several). */
    private static PeriodRecord only(final List<PeriodRecord> records, final String seriesKey,
                                     final Granularity granularity, final Instant periodStart) {
        final String periodKey = Keys.periodKey(seriesKey, granularity, periodStart);
        final PeriodRecord record = TopologyHarness.latest(records).get(periodKey);
        assertThat(record).as("a billing record for " + periodKey).isNotNull();
        return Objects.requireNonNull(record);
    }

    private static void assertFigures(final PeriodRecord record, final String peak, final String avg,
                                      final String unitHours, final String last, final long peakCount,
                                      final long lastCount, final long samples, final String coverage) {
        assertThat(record.peakUnits()).as("peakUnits").isEqualByComparingTo(peak);
        assertThat(record.avgUnits()).as("avgUnits").isEqualByComparingTo(avg);
        assertThat(record.unitHours()).as("unitHours").isEqualByComparingTo(unitHours);
        assertThat(record.lastUnits()).as("lastUnits").isEqualByComparingTo(last);
        assertThat(record.peakCount()).as("peakCount").isEqualTo(peakCount);
        assertThat(record.lastCount()).as("lastCount").isEqualTo(lastCount);
        assertThat(record.samples()).as("samples").isEqualTo(samples);
        assertThat(record.coverage()).as("coverage").isEqualByComparingTo(coverage);
        assertThat(record.unitHours()).isEqualByComparingTo(new BigDecimal(unitHours));
    }
}
