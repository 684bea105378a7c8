package io.usagepipeline.processor.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class OpenTotalKeysTest {

    private static final String SERIES = "vac-1|tenant-a|VBR_vSphere_VM";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void shouldGiveEachPeriodItsOwnKeyAndOpenIdAsTheSeriesMovesFromPeriodToPeriod() {
        final OpenTotalKeys keys = new OpenTotalKeys();
        final BillingPeriod march1 = day("2026-03-01T09:00:00Z");
        final BillingPeriod march2 = day("2026-03-02T09:00:00Z");
        final BillingPeriod march = BillingPeriod.containing(Instant.parse("2026-03-01T09:00:00Z"),
                Granularity.MONTH, BERLIN);

        assertKnown(keys.of(SERIES, march1), SERIES + "|DAY|2026-02-28T23:00:00.000Z");
        assertKnown(keys.of(SERIES, march), SERIES + "|MONTH|2026-02-28T23:00:00.000Z");
        assertKnown(keys.of(SERIES, march2), SERIES + "|DAY|2026-03-01T23:00:00.000Z");
        // a late observation reopens the day before: its own key again, not the latest day's
        assertKnown(keys.of(SERIES, march1), SERIES + "|DAY|2026-02-28T23:00:00.000Z");
        assertKnown(keys.of(SERIES, march), SERIES + "|MONTH|2026-02-28T23:00:00.000Z");
        assertKnown(keys.of("vac-1|tenant-b|VBR_vSphere_VM", march1),
                "vac-1|tenant-b|VBR_vSphere_VM|DAY|2026-02-28T23:00:00.000Z");
    }

    @Test
    void shouldWorkTheKeyOutAgainForAForgottenSeries() {
        final OpenTotalKeys keys = new OpenTotalKeys();
        final BillingPeriod march1 = day("2026-03-01T09:00:00Z");
        final OpenTotalKeys.Known first = keys.of(SERIES, march1);

        keys.forget(SERIES);

        assertThat(keys.of(SERIES, march1)).isEqualTo(first).isNotSameAs(first);
    }

    private static BillingPeriod day(final String at) {
        return BillingPeriod.containing(Instant.parse(at), Granularity.DAY, BERLIN);
    }

    private static void assertKnown(final OpenTotalKeys.Known known, final String periodKey) {
        assertThat(known.periodKey()).isEqualTo(periodKey);
        assertThat(known.openRecordId()).isEqualTo(Ids.recordId(periodKey, 0));
    }
}
