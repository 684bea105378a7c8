package io.usagepipeline.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.runtime.config.ConfigException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private final ReplayWindow window = new ReplayWindow(Instant.parse("2026-10-15T00:00:00Z"),
            Instant.parse("2026-10-20T00:00:00Z"));

    @Test
    void shouldCoverThePeriodsThatOverlapTheWindow() {
        assertThat(window.covers(period("2026-10-14T00:00:00Z", "2026-10-15T00:00:00Z"))).isFalse();
        assertThat(window.covers(period("2026-10-15T00:00:00Z", "2026-10-16T00:00:00Z"))).isTrue();
        assertThat(window.covers(period("2026-10-19T00:00:00Z", "2026-10-20T00:00:00Z"))).isTrue();
        assertThat(window.covers(period("2026-10-20T00:00:00Z", "2026-10-21T00:00:00Z"))).isFalse();
        assertThat(window.covers(period("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"))).isTrue();
    }

    @Test
    void shouldRefuseAnEmptyWindow() {
        final Instant t = Instant.parse("2026-10-15T00:00:00Z");
        assertThatThrownBy(() -> new ReplayWindow(t, t)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--to");
    }

    private static PeriodRecord period(final String start, final String end) {
        return new PeriodRecord(null, UUID.randomUUID(), "t|s|L", "t", "s", null, "L", "units", Granularity.DAY,
                "UTC", Instant.parse(start), Instant.parse(end), RecordStatus.FINAL, 1, null, BigDecimal.ONE,
                BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, 1, 1, 1, BigDecimal.ONE, null, null,
                Instant.parse(end));
    }
}
