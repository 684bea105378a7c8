package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.processor.billing.ZoneSchedule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.assertj.core.util.Throwables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tenant's billing zone changed while the processor runs: given with the month it takes over from, every hour is
 * billed in exactly one day and one month, across the changeover, as a processor that had the change from the start
 * bills it; given for all time over periods open in the old zone, the processor stops, naming the key, rather than
 * bill the month twice in two zones.
 */
class ZoneChangeTopologyTest {

    private static final Instant FIRST_POLL = Instant.parse("2026-09-25T00:00:00Z");
    /** The processor restarts with the new configuration here, in October. */
    private static final Instant RESTART = Instant.parse("2026-10-10T00:00:00Z");
    private static final Instant LAST_POLL = Instant.parse("2026-12-03T00:00:00Z");
    private static final int WORKLOADS = 10;

    @ParameterizedTest(name = "UTC to {0}, changeover {1}")
    @CsvSource({
            "Asia/Tokyo, 2026-11-01T00:00:00Z, 2026-11-30T15:00:00Z", // east: Tokyo's 1 November begins 9 h earlier
            "America/Los_Angeles, 2026-11-01T07:00:00Z, 2026-12-01T08:00:00Z"}) // west: 7 h later; DST ends on the 1st
    void shouldBillEveryHourOnceAcrossTheChangeover(final String zone, final Instant changeover,
                                                    final Instant novemberEnd) {
        final ProcessorConfig changed = config(Map.of("acme", ZoneSchedule.of(List.of(
                new ZoneSchedule.Change(null, ZoneId.of("UTC")),
                new ZoneSchedule.Change(YearMonth.of(2026, 11), ZoneId.of(zone))))));
        final List<PeriodRecord> records = new ArrayList<>();
        try (TopologyHarness before = new TopologyHarness(ProcessorConfig.defaults());
             TopologyHarness after = new TopologyHarness(changed);
             TopologyHarness fromTheStart = new TopologyHarness(changed)) {
            polls(FIRST_POLL, RESTART, before);
            records.addAll(before.billing());
            before.copyStateTo(after);
            polls(RESTART, LAST_POLL, after);
            records.addAll(after.billing());
            polls(FIRST_POLL, LAST_POLL, fromTheStart);

            assertThat(records).as("nothing restated: the open October kept its figures")
                    .allMatch(record -> record.status() == RecordStatus.FINAL);
            final List<PeriodRecord> months = only(records, Granularity.MONTH);
            assertThat(months).extracting(PeriodRecord::zone, PeriodRecord::periodStart, PeriodRecord::periodEnd)
                    .containsExactly(
                            tuple("UTC", Instant.parse("2026-09-01T00:00:00Z"),
                                    Instant.parse("2026-10-01T00:00:00Z")),
                            tuple("UTC", Instant.parse("2026-10-01T00:00:00Z"),
                                    changeover),
                            tuple(zone, changeover, novemberEnd));
            // a steady 10 workloads: each month's unit-hours are 10 times its hours, computed from the instants
            assertThat(months.get(1).unitHours()).isEqualByComparingTo(unitHours(months.get(1)));
            assertThat(months.get(2).unitHours()).isEqualByComparingTo(unitHours(months.get(2)));
            assertThat(months.get(2).coverage()).isEqualByComparingTo("1");
            months.subList(1, 3).forEach(month -> assertDaysAddUp(records, month));
            assertThat(fromTheStart.billing()).as("a processor that had the change from the start, as a replay")
                    .containsExactlyElementsOf(records);
        }
    }

    @Test
    void shouldStopRatherThanBillAnOpenMonthInTwoZones() {
        final ProcessorConfig tokyoForAllTime = config(Map.of("acme", ZoneSchedule.of(ZoneId.of("Asia/Tokyo"))));

        assertThat(refusal(tokyoForAllTime)).hasMessage("processor.tenantZones.acme: tenant acme's DAY from "
                + "2026-10-09 is open in UTC, but the configuration bills that time in Asia/Tokyo: a billing zone "
                + "changes at the start of a month that has not begun, or its month would be billed in two zones; "
                + "give processor.tenantZones.acme: [{zone: UTC}, {zone: Asia/Tokyo, from: 2026-11}]");
    }

    @Test
    void shouldNameTheEntryForEveryTenantWhenTheBillingZoneItselfChanged() {
        final ProcessorConfig berlin = ProcessorConfig.defaults().withBillingZone(ZoneId.of("Europe/Berlin"), Map.of());

        assertThat(refusal(berlin)).hasMessageStartingWith("processor.zone: tenant acme's DAY from 2026-10-09 is open "
                        + "in UTC, but the configuration bills that time in Europe/Berlin:")
                .hasMessageEndingWith("; give processor.tenantZones.\"*\": [{zone: UTC}, {zone: Europe/Berlin, "
                        + "from: 2026-11}]");
    }

    @Test
    void shouldTakeAnotherNameOfTheSameZone() {
        final ProcessorConfig etcUtc = ProcessorConfig.defaults().withBillingZone(ZoneId.of("Etc/UTC"), Map.of());
        try (TopologyHarness before = new TopologyHarness(ProcessorConfig.defaults());
             TopologyHarness after = new TopologyHarness(etcUtc)) {
            polls(FIRST_POLL, RESTART, before);
            before.copyStateTo(after);
            polls(RESTART, LAST_POLL, after);

            final List<PeriodRecord> months = only(after.billing(), Granularity.MONTH);
            assertThat(months).extracting(PeriodRecord::zone, PeriodRecord::periodStart, PeriodRecord::status)
                    .containsExactly(tuple("Etc/UTC", Instant.parse("2026-10-01T00:00:00Z"), RecordStatus.FINAL),
                            tuple("Etc/UTC", Instant.parse("2026-11-01T00:00:00Z"), RecordStatus.FINAL));
            assertThat(months.get(0).unitHours()).as("October whole, once").isEqualByComparingTo(unitHours(
                    months.get(0)));
        }
    }

    /**
     * A Java update brought new rules for a billing zone, as Kazakhstan's moved from UTC+6 to UTC+5, after they took
     * effect: the open periods, opened at +6, are not the zone's days and months any more. The processor stops, naming
     * the offset they were opened at; given that offset until the open month ends, it bills every hour once, the
     * month at the old offset until the later of the two midnights of the next, and the new rules from then on.
     */
    @Test
    void shouldKeepTheOffsetPeriodsWereOpenedAtWhenAJavaUpdateChangesTheZoneRules() {
        final ZoneOffset before = ZoneOffset.ofHours(6);
        // +5 from 5 October: the Java that knows it comes five days later
        final ZoneRules newRules = rulesChanging(before, ZoneOffset.ofHours(5),
                LocalDateTime.parse("2026-10-05T00:00"));
        final ProcessorConfig inTheZone = config(Map.of("acme", ZoneSchedule.of(ShiftingZoneRules.zone())));

        assertThat(Throwables.getRootCause(catchThrowable(() -> acrossAJavaUpdate(ZoneRules.of(before), newRules,
                () -> inTheZone, RESTART.plusSeconds(1))))).hasMessage("processor.tenantZones.acme: tenant acme's "
                + "DAY from 2026-10-10 was opened when Test/Shifting was +06:00 there, but this Java's time-zone rules "
                + "(tzdata) put Test/Shifting at +05:00, so the open periods are no longer its days and months: a Java "
                + "update changed the zone's rules for a time the processor has open; bill at the offset they were "
                + "opened at until their month ends, give processor.tenantZones.acme: [{zone: \"+06:00\"}, {zone: "
                + "Test/Shifting, from: 2026-11}]");

        final List<PeriodRecord> records = acrossAJavaUpdate(ZoneRules.of(before), newRules, () -> config(Map.of(
                "acme", ZoneSchedule.of(List.of(new ZoneSchedule.Change(null, before),
                        new ZoneSchedule.Change(YearMonth.of(2026, 11), ShiftingZoneRules.zone()))))), LAST_POLL);

        assertThat(records).allMatch(record -> record.status() == RecordStatus.FINAL);
        final List<PeriodRecord> months = only(records, Granularity.MONTH);
        // October opened at +6 and ends at the later midnight of 1 November, +5's; November is +5's whole
        assertThat(months).extracting(PeriodRecord::zone, PeriodRecord::periodStart, PeriodRecord::periodEnd)
                .containsExactly(
                        tuple(ShiftingZoneRules.ZONE, Instant.parse("2026-08-31T18:00:00Z"),
                                Instant.parse("2026-09-30T18:00:00Z")),
                        tuple("+06:00", Instant.parse("2026-09-30T18:00:00Z"), Instant.parse("2026-10-31T19:00:00Z")),
                        tuple(ShiftingZoneRules.ZONE, Instant.parse("2026-10-31T19:00:00Z"),
                                Instant.parse("2026-11-30T19:00:00Z")));
        months.subList(1, 3).forEach(month -> assertThat(month.unitHours()).isEqualByComparingTo(unitHours(month)));
        months.subList(1, 3).forEach(month -> assertDaysAddUp(records, month));
    }

    /**
     * New rules that a Java knows before they take effect, within the open month (UTC+5 to UTC+6 from 20 October):
     * the open month ends at the new midnight, an hour earlier, and the day of the change is 23 hours long, as on a
     * change to summer time; nothing is refused.
     */
    @Test
    void shouldEndTheOpenMonthAtTheMidnightNewRulesGiveIt() {
        final ZoneOffset before = ZoneOffset.ofHours(5);
        final ZoneRules newRules = rulesChanging(before, ZoneOffset.ofHours(6),
                LocalDateTime.parse("2026-10-20T00:00"));

        final List<PeriodRecord> records = acrossAJavaUpdate(ZoneRules.of(before), newRules,
                () -> config(Map.of("acme", ZoneSchedule.of(ShiftingZoneRules.zone()))), LAST_POLL);

        assertThat(records).allMatch(record -> record.status() == RecordStatus.FINAL);
        final List<PeriodRecord> months = only(records, Granularity.MONTH);
        assertThat(months).extracting(PeriodRecord::periodStart, PeriodRecord::periodEnd).containsExactly(
                tuple(Instant.parse("2026-08-31T19:00:00Z"), Instant.parse("2026-09-30T19:00:00Z")),
                tuple(Instant.parse("2026-09-30T19:00:00Z"), Instant.parse("2026-10-31T18:00:00Z")),
                tuple(Instant.parse("2026-10-31T18:00:00Z"), Instant.parse("2026-11-30T18:00:00Z")));
        months.subList(1, 3).forEach(month -> assertThat(month.unitHours()).isEqualByComparingTo(unitHours(month)));
        months.subList(1, 3).forEach(month -> assertDaysAddUp(records, month));
        assertThat(only(records, Granularity.DAY)).filteredOn(day -> day.periodStart().equals(Instant.parse(
                "2026-10-19T19:00:00Z"))).extracting(day -> Duration.between(day.periodStart(), day.periodEnd()))
                .containsExactly(Duration.ofHours(23));
    }

    /**
     * The records of a processor run on {@code oldRules} for {@link ShiftingZoneRules#ZONE} to {@link #RESTART}, then
     * of one on its state, with {@code newRules} and the configuration {@code updated} reads under them (as the updated
     * Java reads it), to {@code until}.
     */
    private static List<PeriodRecord> acrossAJavaUpdate(final ZoneRules oldRules, final ZoneRules newRules,
                                                        final Supplier<ProcessorConfig> updated, final Instant until) {
        final List<PeriodRecord> records = new ArrayList<>();
        ShiftingZoneRules.set(oldRules);
        try (TopologyHarness old = new TopologyHarness(config(Map.of("acme", ZoneSchedule.of(
                ShiftingZoneRules.zone()))))) {
            polls(FIRST_POLL, RESTART, old);
            records.addAll(old.billing());
            ShiftingZoneRules.set(newRules);
            try (TopologyHarness after = new TopologyHarness(updated.get())) {
                old.copyStateTo(after);
                polls(RESTART, until, after);
                records.addAll(after.billing());
                assertThat(only(after.billing(), Granularity.DAY)).as("each date named once").extracting(day -> day
                        .periodStart().atZone(ZoneId.of(day.zone())).toLocalDate()).doesNotHaveDuplicates();
            }
        } finally {
            ShiftingZoneRules.set(ZoneRules.of(ZoneOffset.UTC));
        }
        return records;
    }

    /** A zone at {@code before} until {@code at} (its local time), then at {@code after}. */
    private static ZoneRules rulesChanging(final ZoneOffset before, final ZoneOffset after, final LocalDateTime at) {
        final ZoneOffsetTransition change = ZoneOffsetTransition.of(at, before, after);
        return ZoneRules.of(before, before, List.of(change), List.of(change), List.of());
    }

    /** The days within {@code month} follow each other without a gap, from its start to its end, and add up to it. */
    private static void assertDaysAddUp(final List<PeriodRecord> records, final PeriodRecord month) {
        final List<PeriodRecord> days = only(records, Granularity.DAY).stream()
                .filter(day -> !day.periodStart().isBefore(month.periodStart())
                        && !day.periodEnd().isAfter(month.periodEnd())).toList();
        assertThat(days.get(0).periodStart()).isEqualTo(month.periodStart());
        for (int i = 1; i < days.size(); i++) {
            assertThat(days.get(i).periodStart()).as("no hour between two days").isEqualTo(days.get(i - 1).periodEnd());
        }
        assertThat(days.get(days.size() - 1).periodEnd()).isEqualTo(month.periodEnd());
        assertThat(days.stream().map(PeriodRecord::unitHours).reduce(BigDecimal.ZERO, BigDecimal::add))
                .as("the days of %s add up to it", month.periodStart()).isEqualByComparingTo(month.unitHours());
    }

    /**
     * What stops a processor restarted with {@code changed} on the state of one that ran in UTC to {@link #RESTART}, at
     * its first poll; it publishes nothing.
     */
    private static Throwable refusal(final ProcessorConfig changed) {
        try (TopologyHarness before = new TopologyHarness(ProcessorConfig.defaults());
             TopologyHarness after = new TopologyHarness(changed)) {
            polls(FIRST_POLL, RESTART, before);
            before.copyStateTo(after);
            final Throwable thrown = catchThrowable(() -> polls(RESTART, RESTART.plusSeconds(1), after));
            assertThat(thrown).isNotNull();
            assertThat(after.billing()).isEmpty();
            return Throwables.getRootCause(thrown);
        }
    }

    private static ProcessorConfig config(final Map<String, ZoneSchedule> tenantZones) {
        final ProcessorConfig defaults = ProcessorConfig.defaults();
        return defaults.withBillingZone(defaults.billingZone(), tenantZones);
    }

    private static void polls(final Instant from, final Instant to, final TopologyHarness harness) {
        for (Instant at = from; at.isBefore(to); at = at.plus(Duration.ofHours(1))) {
            harness.pipe(Polls.aws(at, WORKLOADS));
        }
    }

    private static List<PeriodRecord> only(final List<PeriodRecord> records, final Granularity granularity) {
        return records.stream().filter(record -> record.granularity() == granularity)
                .sorted(Comparator.comparing(PeriodRecord::periodStart)).toList();
    }

    private static BigDecimal unitHours(final PeriodRecord period) {
        return BigDecimal.valueOf(WORKLOADS * Duration.between(period.periodStart(), period.periodEnd()).toHours());
    }
}
