package io.usagepipeline.rating;

import static io.usagepipeline.rating.Fixtures.month;
import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.rating.Fixtures.Figures;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every amount here is worked out by hand in the comment beside it, from the card in {@link Fixtures#CARD}. */
class MonthRaterTest {

    private final MonthRater rater = new MonthRater(Fixtures.card());

    @Test
    void shouldPriceAFlatLineOnThePeakCountWithPointsAtTheMonthEndLevel() {
        final Map<String, ChargeLine> lines = rate("globex", "2026-03",
                month("globex", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, new Figures("7", "6", "5", "4000", 7, 5)));

        final ChargeLine vbr = lines.get("VBR_vSphere_VM");
        assertThat(vbr.basis()).isEqualTo("PEAK_COUNT");
        assertThat(vbr.quantity()).isEqualByComparingTo("7");
        assertThat(vbr.unit()).isEqualTo("objects");
        assertThat(vbr.amount()).isEqualTo(new BigDecimal("31.50")); // 7 × 4.50
        assertThat(vbr.points()).isEqualByComparingTo("5"); // VBR_* is not VAC_*: LAST_UNITS
        assertThat(vbr.cost()).isEqualTo(new BigDecimal("5.50")); // 5 × 1.10
        assertThat(vbr.margin()).isEqualTo(new BigDecimal("26.00"));
        assertThat(vbr.cardId()).isEqualTo("standard");
        assertThat(vbr.cardVersion()).isEqualTo("2026-01");
        assertThat(vbr.currency()).isEqualTo("EUR");
        assertThat(lines).doesNotContainKey(ChargeLine.MINIMUM_TOP_UP); // 31.50 is above the minimum of 25.00
        assertThat(lines.get(ChargeLine.TOTAL).amount()).isEqualTo(new BigDecimal("31.50"));
        assertThat(lines.get(ChargeLine.TOTAL).cost()).isEqualTo(new BigDecimal("5.50"));
        assertThat(lines.get(ChargeLine.TOTAL).margin()).isEqualTo(new BigDecimal("26.00"));
    }

    @Test
    void shouldBillEachBasisFromItsOwnFigure() {
        final Map<String, ChargeLine> lines = rate("globex", "2026-03",
                month("globex", "vac-eu", "CC_VM_Backup", "2026-03", 1, Figures.units("9", "8", "6", "5000")),
                month("globex", "azure", "AZURE_VIRTUAL_MACHINE", "2026-03", 1,
                        Figures.units("2", "1.5", "1", "1234.567")),
                month("globex", "vac-eu", "VAC_Server_Agent", "2026-03", 1, Figures.units("3.5", "3", "2", "2000")));

        assertThat(lines.get("CC_VM_Backup").amount()).isEqualTo(new BigDecimal("18.00")); // LAST_UNITS 6 × 3.00
        // UNIT_HOURS 1234.567 × 0.01 = 12.34567 → 12.35
        assertThat(lines.get("AZURE_VIRTUAL_MACHINE").amount()).isEqualTo(new BigDecimal("12.35"));
        assertThat(lines.get("AZURE_VIRTUAL_MACHINE").unit()).isEqualTo("instances-hours");
        // VAC_*: POINTS under the PEAK_UNITS rule, 3.5 × 2.00; cost 3.5 × 1.10 = 3.85
        assertThat(lines.get("VAC_Server_Agent").quantity()).isEqualByComparingTo("3.5");
        assertThat(lines.get("VAC_Server_Agent").amount()).isEqualTo(new BigDecimal("7.00"));
        assertThat(lines.get("VAC_Server_Agent").cost()).isEqualTo(new BigDecimal("3.85"));
        // 18.00 + 12.35 + 7.00 = 37.35; cost 6.60 + 1.10 + 3.85 = 11.55
        assertThat(lines.get(ChargeLine.TOTAL).amount()).isEqualTo(new BigDecimal("37.35"));
        assertThat(lines.get(ChargeLine.TOTAL).cost()).isEqualTo(new BigDecimal("11.55"));
        assertThat(lines.get(ChargeLine.TOTAL).points()).isEqualByComparingTo("10.5");
    }

    @Test
    void shouldPriceGraduatedTiersSliceBySliceAtAndAcrossTheirEdge() {
        // at the edge: 100 × 6.00, all in the first tier
        assertThat(awsLine("globex", "100").amount()).isEqualTo(new BigDecimal("600.00"));
        assertThat(awsLine("globex", "100").tiersApplied()).hasSize(1);
        // across it: 100 × 6.00 + 0.25 × 5.00
        assertThat(awsLine("globex", "100.25").amount()).isEqualTo(new BigDecimal("601.25"));
        final ChargeLine across = awsLine("globex", "150.5"); // 600 + 50.5 × 5.00 = 852.50
        assertThat(across.amount()).isEqualTo(new BigDecimal("852.50"));
        assertThat(across.unitPrice()).isNull();
        assertThat(across.tiersApplied()).extracting(t -> t.quantity().stripTrailingZeros().toPlainString())
                .containsExactly("100", "50.5");
    }

    @Test
    void shouldPriceVolumeTiersWholeAtTheTierTheQuantityFallsIn() {
        assertThat(volumeAmount("10")).isEqualTo(new BigDecimal("30.00")); // at the first edge: 10 × 3.00
        assertThat(volumeAmount("10.5")).isEqualTo(new BigDecimal("26.25")); // 10.5 × 2.50
        assertThat(volumeAmount("50")).isEqualTo(new BigDecimal("125.00")); // 50 × 2.50
        assertThat(volumeAmount("51")).isEqualTo(new BigDecimal("102.00")); // 51 × 2.00
    }

    @Test
    void shouldTakeTheTenantsDiscountOffBeforeTheOneRounding() {
        // acme: 10 % off 852.50 = 767.25
        assertThat(awsLine("acme", "150.5").amount()).isEqualTo(new BigDecimal("767.25"));
        assertThat(awsLine("acme", "150.5").discountPercent()).isEqualByComparingTo("10");
    }

    @Test
    void shouldSumTwoSourcesOfOneTenantIntoOneLine() {
        final PeriodRecord vac = month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(3, 3));
        final PeriodRecord vspc = month("acme", "vspc", "VBR_vSphere_VM", "2026-03", 2, Figures.counts(4, 2));
        final ChargeLine line = rate("acme", "2026-03", vac, vspc).get("VBR_vSphere_VM");

        assertThat(line.quantity()).isEqualByComparingTo("7");
        assertThat(line.amount()).isEqualTo(new BigDecimal("28.35")); // 7 × 4.50 = 31.50, 10 % off
        assertThat(line.billingRecordIds()).containsExactlyInAnyOrder(vac.recordId(), vspc.recordId());
    }

    @Test
    void shouldTopAMonthUpToTheCardsMinimum() {
        final Map<String, ChargeLine> lines = rate("globex", "2026-03", month("globex", "azure",
                "AZURE_VIRTUAL_MACHINE", "2026-03", 1, Figures.units("2", "1.5", "1", "1234.567")));

        assertThat(lines.get(ChargeLine.MINIMUM_TOP_UP).amount()).isEqualTo(new BigDecimal("12.65")); // 25 − 12.35
        assertThat(lines.get(ChargeLine.MINIMUM_TOP_UP).margin()).isEqualTo(new BigDecimal("12.65"));
        assertThat(lines.get(ChargeLine.TOTAL).amount()).isEqualTo(new BigDecimal("25.00"));
        assertThat(lines.get(ChargeLine.TOTAL).cost()).isEqualTo(new BigDecimal("1.10")); // 1 point × 1.10
    }

    @Test
    void shouldPriceEachMonthWithTheCardVersionEffectiveThen() {
        final Figures ten = new Figures("10", "10", "10", "7200", 10, 10);
        final ChargeLine march = rate("globex", "2026-03",
                month("globex", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, ten)).get("VBR_vSphere_VM");
        final Map<String, ChargeLine> april = rate("globex", "2026-04",
                month("globex", "vac-eu", "VBR_vSphere_VM", "2026-04", 1, ten),
                month("globex", "vac-eu", "CC_VM_Backup", "2026-04", 1, Figures.units("4", "4", "4", "100")));

        assertThat(march.amount()).isEqualTo(new BigDecimal("45.00")); // 10 × 4.50
        assertThat(march.cardVersion()).isEqualTo("2026-01");
        assertThat(april.get("VBR_vSphere_VM").amount()).isEqualTo(new BigDecimal("50.00")); // 10 × 5.00
        assertThat(april.get("VBR_vSphere_VM").cardVersion()).isEqualTo("2026-04");
        assertThat(april.get("CC_VM_Backup").amount()).isEqualTo(new BigDecimal("4.00")); // "*": 4 × 1.00
        assertThat(april).doesNotContainKey(ChargeLine.MINIMUM_TOP_UP); // 54.00 ≥ 30.00
    }

    @Test
    void shouldPublishALicenseTypeThatNoLineMatchesWithoutAPriceButWithItsCost() {
        final List<MonthRater.Rated> rated = rater.rate("bigco", YearMonth.parse("2026-03"), List.of(
                month("bigco", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, new Figures("4", "4", "4", "100", 4, 4))));
        final MonthRater.Rated vbr = rated.get(0);

        assertThat(vbr.line().priced()).isFalse();
        assertThat(vbr.line().amount()).isEqualTo(new BigDecimal("0.00"));
        assertThat(vbr.line().cost()).isEqualTo(new BigDecimal("4.40")); // the provider still pays Veeam 4 points
        assertThat(vbr.line().margin()).isEqualTo(new BigDecimal("-4.40"));
        assertThat(vbr.unpricedReason()).isEqualTo("no line of card 'volume' (version 2026-01) matches VBR_vSphere_VM");
        assertThat(rated.get(1).line().line()).isEqualTo(ChargeLine.TOTAL);
        assertThat(rated.get(1).line().priced()).isFalse();
    }

    @Test
    void shouldRoundOncePerLineNotPerUnit() {
        final MonthRater thirds = new MonthRater(Fixtures.card("""
                rating:
                  currency: USD
                  cards: [ { id: c, effectiveFrom: 2026-01, lines: [ { match: "*", basis: LAST_UNITS, unitPrice: 0.335 } ] } ]
                  tenants: { "*": { card: c } }
                """));
        final ChargeLine line = thirds.rate("t", YearMonth.parse("2026-03"),
                List.of(month("t", "s", "X", "2026-03", 1, Figures.units("3", "3", "3", "3")))).get(0).line();

        // 3 × 0.335 = 1.005 → 1.00 (HALF_EVEN); per unit it would be 3 × round(0.335) = 3 × 0.34 = 1.02
        assertThat(line.amount()).isEqualTo(new BigDecimal("1.00"));
        assertThat(line.cost()).isNull(); // no price per point: no cost, rather than a cost of zero
        assertThat(line.margin()).isNull();
    }

    private ChargeLine awsLine(final String tenant, final String avgUnits) {
        return rate(tenant, "2026-03", month(tenant, "aws", "AWS_EC2_INSTANCE", "2026-03", 1,
                Figures.units(avgUnits, avgUnits, avgUnits, "0"))).get("AWS_EC2_INSTANCE");
    }

    private BigDecimal volumeAmount(final String lastUnits) {
        return rate("bigco", "2026-03", month("bigco", "aws", "AWS_EC2_INSTANCE", "2026-03", 1,
                Figures.units(lastUnits, lastUnits, lastUnits, "0"))).get("AWS_EC2_INSTANCE").amount();
    }

    @Test
    void shouldCountNoPointsForATypeItsRuleCountsElsewhere() {
        final MonthRater perWorkload = new MonthRater(Fixtures.card(Fixtures.CARD.replace(
                "- { match: \"VAC_*\", figure: PEAK_UNITS }",
                "- { match: \"VBR_RENTAL_*\", figure: NONE }\n      - { match: \"VAC_*\", figure: PEAK_UNITS }")));

        final ChargeLine line = perWorkload.rate("globex", YearMonth.parse("2026-03"), List.of(month("globex",
                "vspc", "VBR_RENTAL_INSTANCES", "2026-03", 1, new Figures("7", "6", "5", "4000", 7, 5)))).get(0).line();

        assertThat(line.amount()).isEqualTo(new BigDecimal("31.50")); // still priced: PEAK_COUNT 7 × 4.50
        assertThat(line.points()).isEqualByComparingTo("0");
        assertThat(line.cost()).isEqualTo(new BigDecimal("0.00"));
    }

    private Map<String, ChargeLine> rate(final String tenant, final String month, final PeriodRecord... records) {
        return rater.rate(tenant, YearMonth.parse(month), List.of(records)).stream().map(MonthRater.Rated::line)
                .collect(Collectors.toMap(ChargeLine::line, Function.identity()));
    }
}
