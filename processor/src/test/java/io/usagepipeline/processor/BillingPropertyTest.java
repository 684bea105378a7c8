package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.processor.ReferenceBilling.Expected;
import io.usagepipeline.processor.ReferenceBilling.Level;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For random poll sequences (skipped and FAILED polls, drops to zero, polls delivered out of order, late after the
 * close, and too late for the horizon), the latest revision of every closed period equals {@link ReferenceBilling}.
 * Three seeds here, for a quick answer; {@link BillingPropertyIT} runs seventeen more.
 */
class BillingPropertyTest {

    private static final String SERIES = "acme|aws-acme|AWS_EC2_INSTANCE";
    private static final Instant START = Instant.parse("2026-01-25T00:00:00Z");
    private static final int SLOTS = 24 * 14;
    /** A short horizon, so some delayed polls fall beyond it. */
    private static final Duration HORIZON = Duration.ofDays(5);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldAgreeWithTheReferenceForRandomSequences(final long seed) {
        agreesWithTheReference(seed);
    }

    static void agreesWithTheReference(final long seed) {
        final Random random = new Random(seed);
        final ZoneId zone = random.nextBoolean() ? ZoneId.of("UTC") : ZoneId.of("America/New_York");
        final ProcessorConfig config = new ProcessorConfig("", ProcessorConfig.DEFAULT_MAX_GAP,
                ProcessorConfig.DEFAULT_GRACE, HORIZON, zone, Map.of(), TenantDirectory.empty());
        final List<Delivery> deliveries = deliveries(random);

        // the reference's view of what the processor accepts: polls older than stream time - horizon are refused
        final NavigableMap<Instant, Level> accepted = new TreeMap<>();
        Instant streamTime = Instant.EPOCH;
        try (TopologyHarness harness = new TopologyHarness(config);
             TopologyHarness recomputation = new TopologyHarness(config, Profile.REPLAY, Run.RECOMPUTATION)) {
            for (final Delivery delivery : deliveries) {
                harness.pipe(delivery.poll);
                recomputation.pipe(delivery.poll);
                final Instant at = delivery.poll.polledAt();
                if (!at.isBefore(streamTime.minus(HORIZON)) && delivery.level != null) {
                    accepted.put(at, delivery.level);
                }
                streamTime = at.isAfter(streamTime) ? at : streamTime;
            }
            final List<PeriodRecord> records = harness.billing();
            final Map<String, PeriodRecord> latest = TopologyHarness.latest(records);

            int compared = 0;
            for (final Granularity granularity : Granularity.values()) {
                for (final Map.Entry<Instant, Instant> period
                        : ReferenceBilling.periodsWithKnowledge(accepted, granularity, zone, config.maxGap())
                        .entrySet()) {
                    if (!streamTime.isAfter(period.getValue().plus(config.grace()))) {
                        continue; // still open
                    }
                    final String key = Keys.periodKey(SERIES, granularity, period.getKey());
                    final Expected expected = ReferenceBilling.figures(accepted, period.getKey(), period.getValue(),
                            config.maxGap());
                    assertThat(latest).as("seed %d: a record for %s", seed, key).containsKey(key);
                    assertMatches(latest.get(key), expected, "seed " + seed + " " + key);
                    compared++;
                }
            }
            assertThat(compared).isGreaterThan(10);
            assertThat(latest).as("no record for a period without knowledge").hasSizeLessThanOrEqualTo(compared + 2);
            assertDaysAddUpToTheirMonth(latest, zone, "seed " + seed);
            // a replay keeps its history by day (DayHistory), the live processor by observation: the same records
            assertThat(recomputation.billing()).as("seed %d: the recomputation's records", seed)
                    .containsExactlyElementsOf(records);
        }
    }

    /**
     * DESIGN §4: the DAY records of a closed month add up to its MONTH record, in unit-hours and in known hours (each
     * figure is rounded once to 6 digits, so the sum may differ from the month by that rounding, day by day).
     */
    private static void assertDaysAddUpToTheirMonth(final Map<String, PeriodRecord> latest, final ZoneId zone,
                                                    final String what) {
        int months = 0;
        for (final PeriodRecord month : latest.values()) {
            if (month.granularity() != Granularity.MONTH || month.status() == RecordStatus.OPEN) {
                continue;
            }
            final List<PeriodRecord> days = latest.values().stream()
                    .filter(day -> day.granularity() == Granularity.DAY && !day.periodStart().isBefore(
                            month.periodStart()) && day.periodEnd().compareTo(month.periodEnd()) <= 0).toList();
            final BigDecimal tolerance = new BigDecimal("0.000001").multiply(BigDecimal.valueOf(days.size()));
            final BigDecimal dayUnitHours = days.stream().map(PeriodRecord::unitHours)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(dayUnitHours.subtract(month.unitHours()).abs()).as("%s: unit-hours of the days of %s vs the "
                    + "month (%s vs %s)", what, month.periodStart().atZone(zone).toLocalDate(), dayUnitHours,
                    month.unitHours()).isLessThanOrEqualTo(tolerance);
            final BigDecimal dayKnownHours = days.stream().map(day -> day.coverage().multiply(hours(day)))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(dayKnownHours.subtract(month.coverage().multiply(hours(month))).abs())
                    .as("%s: known hours of the days of %s vs the month", what, month.periodStart())
                    .isLessThanOrEqualTo(new BigDecimal("0.000001").multiply(hours(month)).add(
                            new BigDecimal("0.000024").multiply(BigDecimal.valueOf(days.size()))));
            months++;
        }
        assertThat(months).as("%s: a closed month to add up", what).isPositive();
    }

    private static BigDecimal hours(final PeriodRecord record) {
        return BigDecimal.valueOf(Duration.between(record.periodStart(), record.periodEnd()).toMinutes())
                .divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_EVEN);
    }

    private static void assertMatches(final PeriodRecord actual, final Expected expected, final String what) {
        assertThat(actual.peakUnits()).as(what + " peakUnits").isEqualByComparingTo(expected.peakUnits());
        assertThat(actual.avgUnits()).as(what + " avgUnits").isEqualByComparingTo(expected.avgUnits());
        assertThat(actual.unitHours()).as(what + " unitHours").isEqualByComparingTo(expected.unitHours());
        assertThat(actual.lastUnits()).as(what + " lastUnits").isEqualByComparingTo(expected.lastUnits());
        assertThat(actual.peakCount()).as(what + " peakCount").isEqualTo(expected.peakCount());
        assertThat(actual.lastCount()).as(what + " lastCount").isEqualTo(expected.lastCount());
        assertThat(actual.samples()).as(what + " samples").isEqualTo(expected.samples());
        assertThat(actual.coverage()).as(what + " coverage").isEqualByComparingTo(expected.coverage());
    }

    /** A poll and the level it reports (null for FAILED), in delivery order. */
    private record Delivery(RawPoll poll, Level level, Instant deliverAt) {
    }

    private static List<Delivery> deliveries(final Random random) {
        final List<Delivery> deliveries = new ArrayList<>();
        int workloads = random.nextInt(10);
        for (int slot = 0; slot < SLOTS; slot++) {
            final Instant at = START.plus(Duration.ofHours(slot)).plus(Duration.ofMinutes(random.nextInt(60)));
            final int roll = random.nextInt(100);
            if (roll < 8) {
                continue; // skipped slot: a gap if it lasts
            }
            if (roll < 10 && random.nextBoolean()) {
                // long outage: the level becomes unknown after maxGap
                slot += 3 + random.nextInt(6);
                continue;
            }
            workloads = random.nextInt(100) < 5 ? 0 : Math.max(0, workloads + random.nextInt(5) - 2);
            final boolean failed = roll >= 10 && roll < 15;
            final RawPoll poll = failed
                    ? Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme", at)
                    : Polls.aws(at, workloads);
            deliveries.add(new Delivery(poll, failed ? null : new Level(BigDecimal.valueOf(workloads), workloads),
                    at.plus(delay(random))));
        }
        deliveries.sort(Comparator.comparing(Delivery::deliverAt));
        // a last poll two days on closes everything before it
        final Instant end = START.plus(Duration.ofHours(SLOTS + 48));
        deliveries.add(new Delivery(Polls.aws(end, 1), new Level(BigDecimal.ONE, 1), end));
        return deliveries;
    }

    /** Mostly on time; some out of order within grace, some after the close, a few beyond the horizon. */
    private static Duration delay(final Random random) {
        final int roll = random.nextInt(100);
        if (roll < 80) {
            return Duration.ZERO;
        }
        if (roll < 90) {
            return Duration.ofMinutes(30 + random.nextInt(180));
        }
        if (roll < 97) {
            return Duration.ofHours(4 + random.nextInt(72));
        }
        return HORIZON.plus(Duration.ofHours(1 + random.nextInt(48)));
    }
}
