package io.usagepipeline.processor.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a series finds its open periods: by key, and the one holding an observation without the calendar. */
class SeriesStateTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOV_3_NOON = Instant.parse("2026-11-03T11:00:00Z");
    private static final BillingPeriod NOV_3 = BillingPeriod.containing(NOV_3_NOON, Granularity.DAY, BERLIN);
    private static final BillingPeriod NOVEMBER = BillingPeriod.containing(NOV_3_NOON, Granularity.MONTH, BERLIN);
    // 00:30 in Berlin on 4 November: 3 November is still open, waiting out the grace
    private static final Instant NOV_4_AFTER_MIDNIGHT = Instant.parse("2026-11-03T23:30:00Z");

    private final SeriesState series = new SeriesState("acme", "aws-1", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE",
            "instances", null, null, 0, List.of(PeriodState.opened(PeriodFold.empty(NOV_3)),
            PeriodState.opened(PeriodFold.empty(NOVEMBER))));

    @Test
    void shouldFindTheOpenPeriodThatHoldsAnInstantAsTheCalendarWould() {
        assertThat(series.openHolding(NOV_3_NOON, Granularity.DAY, "Europe/Berlin").period()).isEqualTo(NOV_3);
        assertThat(series.openHolding(NOV_3_NOON, Granularity.MONTH, "Europe/Berlin").period()).isEqualTo(NOVEMBER);
        assertThat(series.openHolding(NOV_4_AFTER_MIDNIGHT, Granularity.MONTH, "Europe/Berlin").period())
                .isEqualTo(BillingPeriod.containing(NOV_4_AFTER_MIDNIGHT, Granularity.MONTH, BERLIN));
    }

    @Test
    void shouldFindNoneForADayNotOpenYetOrAnotherZone() {
        // the day after is not open: the caller opens it, though the day before is open and has just ended
        assertThat(series.openHolding(NOV_4_AFTER_MIDNIGHT, Granularity.DAY, "Europe/Berlin")).isNull();
        assertThat(NOV_3.end()).isEqualTo(Instant.parse("2026-11-03T23:00:00Z"));
        // a tenant moved to another zone: its periods there are other periods, whatever the instant
        assertThat(series.openHolding(NOV_3_NOON, Granularity.DAY, "UTC")).isNull();
    }

    @Test
    void shouldTellPeriodsApartByGranularityAndStartOnly() {
        final BillingPeriod sameKeyElsewhere = new BillingPeriod(Granularity.DAY, "UTC", NOV_3.start(),
                NOV_3.start().plusSeconds(86_400));

        assertThat(series.openPeriod(sameKeyElsewhere)).isNotNull(); // one key, so one period of the series
        assertThat(NOV_3.sameKey(sameKeyElsewhere)).isTrue();
        assertThat(NOV_3.sameKey(NOVEMBER)).isFalse();
        assertThat(NOV_3.sameKey(BillingPeriod.containing(NOV_4_AFTER_MIDNIGHT, Granularity.DAY, BERLIN))).isFalse();
        assertThat(series.withoutOpen(sameKeyElsewhere).open()).extracting(PeriodState::period)
                .containsExactly(NOVEMBER);
    }

    @Test
    void shouldChangeEachOpenPeriodInPlaceAndRefuseAChangeThatMovesOne() {
        final Duration maxGap = Duration.ofHours(3);
        final SeriesState folded = series.withEachOpen(period -> period.withFold(
                period.fold().apply(NOV_3_NOON, BigDecimal.TEN, 10, maxGap)));

        assertThat(folded.open()).extracting(PeriodState::period).containsExactly(NOV_3, NOVEMBER);
        assertThat(folded.open()).extracting(period -> period.fold().samples()).containsExactly(1L, 1L);
        assertThat(folded.tenantId()).isEqualTo("acme");
        final BillingPeriod nov4 = BillingPeriod.containing(NOV_3.end(), Granularity.DAY, BERLIN);
        assertThatThrownBy(() -> series.withEachOpen(period -> PeriodState.opened(PeriodFold.empty(nov4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moved period");
    }
}
