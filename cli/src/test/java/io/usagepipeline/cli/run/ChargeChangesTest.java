package io.usagepipeline.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.RecordDifferences;
import io.usagepipeline.events.RecordStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ChargeChangesTest {

    private static final String OLD = "2020-01";
    private static final String NEW = "2026-11";

    /**
     * A new card version from 2026-11 that raises VBR_* from 4.50 to 4.75 and prices AZURE_FILE_SHARE: acme's VBR
     * line (10 × 4.75 = 47.50 instead of 45.00) and TOTAL change, its CC line only changes card version; hooli's file
     * shares (130.00 instead of an unpriced 0) and TOTAL change; initech, on a card of its own, does not change; wayne
     * is priced only by the replay. The table's figures are worked out here by hand.
     */
    @Test
    void shouldListTheRepricedLinesAndWhatTheyChangePerTenantAndMonth() {
        final Map<String, ChargeLine> live = byKey(
                charge("acme", "VBR_vSphere_VM", OLD, "4.50", "45.00", "5.00", "EUR"),
                charge("acme", "CC_Server_Backup", OLD, "3.00", "30.00", "15.00", "EUR"),
                charge("acme", ChargeLine.TOTAL, OLD, null, "75.00", "20.00", "EUR"),
                unpriced("hooli", "AZURE_FILE_SHARE", OLD, "30.00"),
                charge("hooli", ChargeLine.TOTAL, OLD, null, "100.00", "30.00", "EUR"),
                charge("initech", ChargeLine.TOTAL, "2019-01", null, "40.00", "15.00", "EUR"));
        final Map<String, ChargeLine> replayed = byKey(
                charge("acme", "VBR_vSphere_VM", NEW, "4.75", "47.50", "5.00", "EUR"),
                charge("acme", "CC_Server_Backup", NEW, "3.00", "30.00", "15.00", "EUR"),
                charge("acme", ChargeLine.TOTAL, NEW, null, "77.50", "20.00", "EUR"),
                charge("hooli", "AZURE_FILE_SHARE", NEW, "2.00", "130.00", "30.00", "EUR"),
                charge("hooli", ChargeLine.TOTAL, NEW, null, "230.00", "30.00", "EUR"),
                charge("initech", ChargeLine.TOTAL, "2019-01", null, "40.00", "15.00", "EUR"),
                charge("wayne", ChargeLine.TOTAL, NEW, null, "25.00", "0.00", "EUR"));
        final List<RecordDifferences.Difference> differences = RecordDifferences.betweenCharges("live", live,
                "replay", replayed);
        assertThat(differences).extracting(RecordDifferences.Difference::key).containsExactly(
                "acme|2026-11|CC_Server_Backup", "acme|2026-11|TOTAL", "acme|2026-11|VBR_vSphere_VM",
                "hooli|2026-11|AZURE_FILE_SHARE", "hooli|2026-11|TOTAL", "wayne|2026-11|TOTAL");

        assertThat(ChargeChanges.describe(live, replayed, differences)).containsExactly(
                listed(differences, "acme|2026-11|TOTAL"),
                listed(differences, "acme|2026-11|VBR_vSphere_VM"),
                listed(differences, "hooli|2026-11|AZURE_FILE_SHARE"),
                listed(differences, "hooli|2026-11|TOTAL"),
                listed(differences, "wayne|2026-11|TOTAL"),
                "  and 1 line whose only change is the version of the card that prices it",
                "",
                "What the replay changes, per tenant and month (their TOTAL lines, in EUR):",
                "",
                "tenant               month       live amount  replay amount       change  margin change",
                "-------------------- -------- -------------- -------------- ------------ --------------",
                // margins: acme 55.00 to 57.50, hooli 70.00 to 200.00, wayne none to 25.00
                "acme                 2026-11           75.00          77.50        +2.50          +2.50",
                "hooli                2026-11          100.00         230.00      +130.00        +130.00",
                "wayne                2026-11               -          25.00       +25.00         +25.00",
                // 75.00 + 100.00 + 40.00 against 77.50 + 230.00 + 40.00 + 25.00; margins 150.00 against 307.50
                "all tenants          2026-11          215.00         372.50      +157.50        +157.50");
    }

    @Test
    void shouldLeaveAMarginChangeUnknownWhereAMarginIsAndAddNoCurrenciesTogether() {
        final ChargeLine noCost = charge("acme", ChargeLine.TOTAL, OLD, null, "75.00", null, "EUR");
        final Map<String, ChargeLine> live = byKey(noCost);
        final Map<String, ChargeLine> replayed = byKey(charge("acme", ChargeLine.TOTAL, OLD, null, "70.00", "20.00",
                "EUR"));
        assertThat(ChargeChanges.describe(live, replayed, RecordDifferences.betweenCharges("live", live, "replay",
                replayed))).contains(
                "acme                 2026-11           75.00          70.00        -5.00              -",
                "all tenants          2026-11           75.00          70.00        -5.00              -");

        final Map<String, ChargeLine> inDollars = byKey(charge("acme", ChargeLine.TOTAL, OLD, null, "75.00",
                "20.00", "USD"));
        assertThat(ChargeChanges.describe(live, inDollars, RecordDifferences.betweenCharges("live", live, "replay",
                inDollars))).last().isEqualTo("No change in money is worked out: the live and the replayed lines "
                + "are in different currencies (EUR, USD).");
    }

    private static String listed(final List<RecordDifferences.Difference> differences, final String key) {
        return "  " + key + ": " + differences.stream().filter(difference -> difference.key().equals(key))
                .findFirst().orElseThrow().description();
    }

    private static Map<String, ChargeLine> byKey(final ChargeLine... lines) {
        final Map<String, ChargeLine> byKey = new TreeMap<>();
        Stream.of(lines).forEach(line -> byKey.put(line.chargeKey(), line));
        return byKey;
    }

    /** A priced line for 2026-11 (a TOTAL when {@code unitPrice} is null); margin = amount − cost. */
    private static ChargeLine charge(final String tenant, final String line, final String cardVersion,
                                     final String unitPrice, final String amount, final String cost,
                                     final String currency) {
        final BigDecimal money = new BigDecimal(amount);
        return line(tenant, line, cardVersion, unitPrice == null ? null : new BigDecimal(unitPrice), money, true,
                cost == null ? null : new BigDecimal(cost), cost == null ? null : money.subtract(new BigDecimal(cost)),
                currency);
    }

    private static ChargeLine unpriced(final String tenant, final String line, final String cardVersion,
                                       final String cost) {
        return line(tenant, line, cardVersion, null, BigDecimal.ZERO.setScale(2), false, new BigDecimal(cost),
                new BigDecimal(cost).negate(), "EUR");
    }

    private static ChargeLine line(final String tenant, final String line, final String cardVersion,
                                   final BigDecimal unitPrice, final BigDecimal amount, final boolean priced,
                                   final BigDecimal cost, final BigDecimal margin, final String currency) {
        final String key = Keys.chargeKey(tenant, "2026-11", line);
        return new ChargeLine(null, Ids.chargeId(key, 1), tenant, "2026-11", "UTC", line, "standard", cardVersion,
                unitPrice == null ? null : "PEAK_UNITS", BigDecimal.TEN, "instances", unitPrice, List.of(),
                BigDecimal.ZERO, amount, currency, priced, BigDecimal.TEN, cost, margin, RecordStatus.FINAL, 1, null,
                amount, List.of(), Instant.parse("2026-12-01T00:00:00Z"));
    }
}
