package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every time boundary of DESIGN §4 from the defaults (maxGap 3 h, grace 2 h, horizon 35 days), worked out by hand. */
class TimeRulesTest {

    private static final TimeRules RULES = ProcessorConfig.defaults().timeRules();
    private static final Instant STREAM_TIME = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void shouldRefuseOnlyPollsOlderThanTheHorizon() {
        assertThat(RULES.late(Instant.parse("2026-02-03T12:00:00Z"), STREAM_TIME)).as("35 days exactly").isFalse();
        assertThat(RULES.late(Instant.parse("2026-02-03T11:59:59Z"), STREAM_TIME)).isTrue();
    }

    @Test
    void shouldClosePeriodsAfterTheirEndPlusGrace() {
        final Instant dayEnd = Instant.parse("2026-03-10T00:00:00Z");
        assertThat(RULES.dueAt(dayEnd)).isEqualTo(Instant.parse("2026-03-10T02:00:00Z"));
        assertThat(RULES.due(dayEnd, Instant.parse("2026-03-10T02:00:00Z"))).isFalse();
        assertThat(RULES.due(dayEnd, Instant.parse("2026-03-10T02:00:00.001Z"))).isTrue();
    }

    @Test
    void shouldForgetWhatNoRestatablePeriodNeeds() {
        // restatable: 35 days back; history: a 31-day month, 3 h of carry-in and 2 h of grace before that
        assertThat(RULES.restatableFrom(STREAM_TIME)).isEqualTo(Instant.parse("2026-02-03T12:00:00Z"));
        assertThat(RULES.historyNeededFrom(STREAM_TIME)).isEqualTo(Instant.parse("2026-01-03T07:00:00Z"));
        assertThat(RULES.removedSeriesMemory()).isEqualTo(Duration.ofDays(35));
        assertThat(RULES.duplicateMemory()).isEqualTo(Duration.ofDays(35).plusHours(2));
        assertThat(RULES.replayLookback(Instant.parse("2026-03-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-24T19:00:00Z"));
    }
}
