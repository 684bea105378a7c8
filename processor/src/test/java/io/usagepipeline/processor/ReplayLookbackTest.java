package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.processor.billing.ZoneSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessorConfig#replayLookbackFrom}: a processor that starts at that instant computes the same records for
 * every period from the given instant on as one that saw the whole history, and one that starts later does not.
 * The history has a series removed shortly before the month (a known zero into the month while the horizon
 * lasts), so both the month start and the horizon in the lookback matter.
 */
class ReplayLookbackTest {

    /** A short horizon, so that the lookback falls inside the history. */
    private static final ProcessorConfig CONFIG = new ProcessorConfig("", ProcessorConfig.DEFAULT_MAX_GAP,
            ProcessorConfig.DEFAULT_GRACE, Duration.ofDays(2), ZoneId.of("UTC"), Map.of(), TenantDirectory.empty());
    private static final Instant FIRST = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-04-03T00:00:00Z"); // March has closed
    private static final Instant REMOVED = Instant.parse("2026-02-27T12:00:00Z");
    private static final Instant FROM = Instant.parse("2026-03-15T00:00:00Z");

    @Test
    void shouldLookBackToTheMonthLessMaxGapHorizonAndGrace() {
        // Mar 1 00:00 - 3 h - 2 d - 2 h
        assertThat(CONFIG.replayLookbackFrom(FROM)).isEqualTo(Instant.parse("2026-02-26T19:00:00Z"));
        // Mar 1 in Pacific/Auckland (UTC+13 under daylight saving) is Feb 28 11:00 UTC
        assertThat(CONFIG.withBillingZone(ZoneId.of("UTC"),
                        Map.of("kiwi", ZoneSchedule.of(ZoneId.of("Pacific/Auckland"))))
                .replayLookbackFrom(FROM)).isEqualTo(Instant.parse("2026-02-26T06:00:00Z"));
    }

    @Test
    void shouldRecomputeTheWholeHistorysFiguresFromTheLookbackOn() {
        final Map<String, PeriodRecord> whole = recordsFrom(FIRST);
        final Map<String, PeriodRecord> fromLookback = recordsFrom(CONFIG.replayLookbackFrom(FROM));

        assertThat(whole).as("the month and its days, for both series").containsKey(
                "vac-eu-2|vac-eu|B|MONTH|2026-03-01T00:00:00.000Z");
        assertThat(fromLookback).isEqualTo(whole);
    }

    @Test
    void shouldNotWithoutTheHorizon() {
        // the month start less maxGap alone misses that B was removed (a known zero on Mar 1)
        final Instant tooLate = Instant.parse("2026-03-01T00:00:00Z").minus(ProcessorConfig.DEFAULT_MAX_GAP);
        assertThat(recordsFrom(tooLate)).isNotEqualTo(recordsFrom(FIRST));
    }

    /** The latest revision of every record of a period that ends after FROM, from the polls at or after start. */
    private static Map<String, PeriodRecord> recordsFrom(final Instant start) {
        try (TopologyHarness harness = new TopologyHarness(CONFIG)) {
            for (final RawPoll poll : history()) {
                if (!poll.polledAt().isBefore(start)) {
                    harness.pipe(poll);
                }
            }
            return TopologyHarness.latest(harness.billing()).entrySet().stream()
                    .filter(entry -> entry.getValue().periodEnd().isAfter(FROM))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }
    }

    /** Hourly VAC polls of types A (a level that moves) and B (until REMOVED), 30 s into each hour. */
    private static List<RawPoll> history() {
        final List<RawPoll> polls = new ArrayList<>();
        for (Instant slot = FIRST; slot.isBefore(END); slot = slot.plus(Duration.ofHours(1))) {
            final Instant at = slot.plusSeconds(30);
            final long hour = Duration.between(FIRST, slot).toHours();
            polls.add(slot.isBefore(REMOVED) ? Polls.vac(at, "A", 10 + hour % 7, "B", 3)
                    : Polls.vac(at, "A", 10 + hour % 7));
        }
        return polls;
    }
}
