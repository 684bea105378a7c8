package io.usagepipeline.rating;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.RecordStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console hears of each month a round priced, once the round is over: its lines and what its totals became. */
class PricingLogTest {

    private final PricingLog log = new PricingLog();

    @Test
    void shouldTellAMonthClosingOnceItsRoundIsOver() {
        log.priced(line("acme", "2026-11", "VBR_vSphere_VM", 1, "100.00", "100.00", true), 1_000);
        log.priced(line("acme", "2026-11", ChargeLine.TOTAL, 1, "100.00", "100.00", true), 1_000);
        log.priced(line("globex", "2026-11", "AZURE_FILE_SHARE", 1, "0.00", "0.00", false), 1_010);
        log.priced(line("globex", "2026-11", ChargeLine.MINIMUM_TOP_UP, 1, "25.00", "25.00", true), 1_010);
        log.priced(line("globex", "2026-11", ChargeLine.TOTAL, 1, "25.00", "25.00", true), 1_010);

        assertThat(log.reportIfQuiet(1_400, 500)).as("another task may still price in this round").isEmpty();
        assertThat(log.reportIfQuiet(1_510, 500)).containsExactly(
                "2026-11: priced for 2 tenants, 5 charge lines FINAL (1 unpriced, at 0); their TOTALs 125.00 EUR");
        assertThat(log.reportIfQuiet(2_510, 500)).isEmpty();
    }

    /**
     * A license type no card line matches is unpriced for every tenant that has it: the first line of each reason is
     * a WARN in full, the rest are counted, once a minute and when the rater stops, where each was a WARN.
     */
    @Test
    void shouldWarnOfTheFirstUnpricedLineOfEachReasonAndCountTheRest() {
        final String reason = "no line of card 'standard' (version 2020-01) matches AZURE_FILE_SHARE";
        assertThat(log.unpriced("tenant-000|2026-11|AZURE_FILE_SHARE", reason, 0)).containsExactly(
                "UNPRICED: tenant-000|2026-11|AZURE_FILE_SHARE: no line of card 'standard' (version 2020-01) matches "
                        + "AZURE_FILE_SHARE; it is published with amount 0 until a card line prices it");
        for (int t = 1; t < 1_000; t++) {
            assertThat(log.unpriced(String.format("tenant-%03d|2026-11|AZURE_FILE_SHARE", t), reason, 10)).isEmpty();
        }
        assertThat(log.unpriced("acme|2026-11|CC_VM_Backup", "tenant 'acme' is on no card", 20)).hasSize(1);
        assertThat(log.unpricedDue(30)).as("within the minute").isEmpty();

        assertThat(log.unpricedRest(40)).containsExactly("UNPRICED, no line of card 'standard' (version "
                + "2020-01) matches AZURE_FILE_SHARE: 999 more lines published unpriced since the last line of this "
                + "reason, the last tenant-999|2026-11|AZURE_FILE_SHARE");
    }

    @Test
    void shouldTellWhatARestatementDidToTheMonthsTotalsMonthByMonth() {
        // a card version from October: VBR from 4.50 to 4.75 (October +2.25, November +5.00), CC unchanged
        log.priced(line("acme", "2026-11", "VBR_vSphere_VM", 2, "95.00", "5.00", true), 1_000);
        log.priced(line("acme", "2026-11", "CC_VM_Backup", 2, "30.00", "0.00", true), 1_000);
        log.priced(line("acme", "2026-11", ChargeLine.TOTAL, 2, "125.00", "5.00", true), 1_000);
        log.priced(line("acme", "2026-10", "VBR_vSphere_VM", 2, "42.75", "2.25", true), 1_000);
        log.priced(line("acme", "2026-10", ChargeLine.TOTAL, 2, "42.75", "2.25", true), 1_000);
        log.priced(line("initech", "2026-11", "VBR_vSphere_VM", 3, "9.50", "-0.50", true), 1_000);
        log.priced(line("initech", "2026-11", ChargeLine.TOTAL, 3, "25.00", "0.00", true), 1_000);

        assertThat(log.report()).containsExactly(
                "2026-10: priced again for 1 tenant, 2 charge lines RESTATED; their TOTALs 40.50 -> 42.75 EUR (+2.25)",
                "2026-11: priced again for 2 tenants, 5 charge lines RESTATED; their TOTALs 145.00 -> 150.00 EUR "
                        + "(+5.00)");
        assertThat(log.report()).isEmpty();
    }

    @Test
    void shouldTellNewAndRestatedLinesOfOneMonthApart() {
        log.priced(line("acme", "2026-11", "VBR_vSphere_VM", 2, "80.00", "-10.00", true), 0);
        log.priced(line("acme", "2026-11", ChargeLine.TOTAL, 2, "80.00", "-10.00", true), 0);
        log.priced(line("hooli", "2026-11", "AZURE_FILE_SHARE", 1, "130.00", "130.00", true), 0);
        log.priced(line("hooli", "2026-11", ChargeLine.TOTAL, 1, "130.00", "130.00", true), 0);

        assertThat(log.report()).containsExactly("2026-11: priced again for 2 tenants, 2 charge lines FINAL and "
                + "2 charge lines RESTATED; their TOTALs 90.00 -> 210.00 EUR (+120.00)");
    }

    private static ChargeLine line(final String tenant, final String month, final String line, final int revision,
                                   final String amount, final String delta, final boolean priced) {
        final String key = Keys.chargeKey(tenant, month, line);
        return new ChargeLine(null, Ids.chargeId(key, revision), tenant, month, "UTC", line, "standard", "2026-01",
                null, BigDecimal.ONE, "instances", null, List.of(), null, new BigDecimal(amount), "EUR", priced, null,
                null, null, revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED, revision,
                revision == 1 ? null : Ids.chargeId(key, revision - 1), new BigDecimal(delta), List.of(),
                Instant.parse("2026-12-01T00:00:00Z"));
    }
}
