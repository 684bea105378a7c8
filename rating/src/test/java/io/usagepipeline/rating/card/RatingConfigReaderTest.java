package io.usagepipeline.rating.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.YearMonth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A card that cannot price correctly is refused at start, with the key that is wrong. */
class RatingConfigReaderTest {

    private static final String LINES = "[ { match: \"*\", basis: LAST_UNITS, unitPrice: 1 } ]";

    @Test
    void shouldBindTheCardOfTheDesign() throws Exception {
        final RatingConfig config = read("""
                currency: EUR
                veeam: { pricePerPoint: 1.10, pointsRule: [ { match: "VAC_*", figure: PEAK_UNITS }, { match: "*", figure: LAST_UNITS } ] }
                cards:
                  - { id: standard, effectiveFrom: 2026-01, minimumMonthly: 25.00, lines: [
                      { match: "AWS_EC2_INSTANCE", basis: AVG_UNITS, tierMode: GRADUATED,
                        tiers: [ { upTo: 100, unitPrice: 6.00 }, { unitPrice: 5.00 } ] } ] }
                tenants: { "*": { card: standard }, acme: { card: standard, discountPercent: 10 } }
                """);

        assertThat(config.moneyScale()).isEqualTo(2);
        assertThat(config.pointsFigure("vac_workstation_agent")).isEqualTo(Basis.PEAK_UNITS);
        assertThat(config.pointsFigure("VBR_VM")).isEqualTo(Basis.LAST_UNITS);
        assertThat(config.termsOf("acme").orElseThrow().discountPercent()).isEqualByComparingTo("10");
        assertThat(config.termsOf("someone").orElseThrow().card()).isEqualTo("standard");
        assertThat(config.version("standard", YearMonth.of(2025, 12))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unordered tiers            | tiers: [ { upTo: 100, unitPrice: 6 }, { upTo: 50, unitPrice: 5 }, { unitPrice: 4 } ] | rating.cards[0].lines[0].tiers[1].upTo
            overlapping tiers          | tiers: [ { upTo: 100, unitPrice: 6 }, { upTo: 100, unitPrice: 5 }, { unitPrice: 4 } ] | rating.cards[0].lines[0].tiers[1].upTo
            a last tier with an end    | tiers: [ { upTo: 100, unitPrice: 6 } ] | rating.cards[0].lines[0].tiers[0].upTo
            a negative tier price      | tiers: [ { upTo: 100, unitPrice: 6 }, { unitPrice: -5 } ] | rating.cards[0].lines[0].tiers[1].unitPrice
            """)
    void shouldRefuseTiersThatCannotPrice(final String what, final String tiers, final String key) {
        assertThatThrownBy(() -> read("""
                currency: EUR
                cards: [ { id: c, effectiveFrom: 2026-01, lines: [ { match: "*", basis: AVG_UNITS, tierMode: GRADUATED, %s } ] } ]
                tenants: { "*": { card: c } }
                """.formatted(tiers)))
                .isInstanceOf(RatingConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .extracting(e -> ((RatingConfigException) e).key()).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown basis         | { match: "*", basis: MEAN_UNITS, unitPrice: 1 }                 | rating.cards[0].lines[0].basis       | not one of [PEAK_UNITS
            a negative price         | { match: "*", basis: LAST_UNITS, unitPrice: -1 }                | rating.cards[0].lines[0].unitPrice   | -1 is negative
            a price and tiers        | { match: "*", basis: LAST_UNITS, unitPrice: 1, tierMode: VOLUME, tiers: [ { unitPrice: 1 } ] } | rating.cards[0].lines[0] | not both
            tiers without a mode     | { match: "*", basis: LAST_UNITS, tiers: [ { unitPrice: 1 } ] }  | rating.cards[0].lines[0].tierMode    | missing
            an unknown key           | { match: "*", basis: LAST_UNITS, unitprice: 1 }                 | rating.cards[0].lines[0].unitprice   | unknown key
            """)
    void shouldRefuseALineThatCannotPrice(final String what, final String line, final String key, final String why) {
        assertThatThrownBy(() -> read("""
                currency: EUR
                cards: [ { id: c, effectiveFrom: 2026-01, lines: [ %s ] } ]
                tenants: { "*": { card: c } }
                """.formatted(line)))
                .isInstanceOf(RatingConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(why);
    }

    @Test
    void shouldReadAnEffectiveMonthWrittenAsItsFirstDayButNoOtherDay() throws Exception {
        final String card = """
                currency: EUR
                cards: [ { id: c, effectiveFrom: %s, lines: %s } ]
                tenants: { "*": { card: c } }
                """;
        assertThat(read(card.formatted("2026-03-01", LINES)).cards().get("c").get(0).effectiveFrom())
                .isEqualTo(YearMonth.of(2026, 3));
        assertThatThrownBy(() -> read(card.formatted("2026-03-15", LINES)))
                .hasMessage("rating.cards[0].effectiveFrom: '2026-03-15' is not a month such as 2026-01");
    }

    @Test
    void shouldRefuseACardThatATenantNamesButNobodyDefines() {
        assertThatThrownBy(() -> read("""
                currency: EUR
                cards: [ { id: standard, effectiveFrom: 2026-01, lines: %s } ]
                tenants: { "*": { card: standard }, acme: { card: premium } }
                """.formatted(LINES)))
                .hasMessage("rating.tenants.acme.card: no card with id 'premium' is defined; defined: [standard]");
    }

    @Test
    void shouldRefuseAMonthWithoutAnyEffectiveVersion() throws Exception {
        final RatingConfig config = read("""
                currency: EUR
                cards: [ { id: standard, effectiveFrom: 2026-03, lines: %s } ]
                tenants: { "*": { card: standard } }
                """.formatted(LINES));

        config.requireEffectiveFrom(YearMonth.of(2026, 3));
        assertThatThrownBy(() -> config.requireEffectiveFrom(YearMonth.of(2026, 2)))
                .hasMessage("rating.tenants.*.card: card 'standard' has no version effective in 2026-02 (its first "
                        + "version starts 2026-03)");
    }

    @Test
    void shouldRefuseTwoVersionsOfACardFromOneMonthAndAPointsRuleThatLeavesTypesOut() {
        assertThatThrownBy(() -> read("""
                currency: EUR
                cards: [ { id: c, effectiveFrom: 2026-01, lines: %1$s }, { id: c, effectiveFrom: 2026-01, lines: %1$s } ]
                tenants: { "*": { card: c } }
                """.formatted(LINES))).hasMessageStartingWith("rating.cards[1].effectiveFrom: ");
        assertThatThrownBy(() -> read("""
                currency: EUR
                veeam: { pointsRule: [ { match: "VAC_*", figure: PEAK_UNITS } ] }
                cards: [ { id: c, effectiveFrom: 2026-01, lines: %s } ]
                tenants: { "*": { card: c } }
                """.formatted(LINES))).hasMessageStartingWith("rating.veeam.pointsRule: the last rule must match");
        assertThatThrownBy(() -> read("cards: []\ntenants: {}\n")).hasMessage("rating.currency: missing");
    }

    private static RatingConfig read(final String ratingBlock) throws Exception {
        return RatingConfigReader.read(new YAMLMapper().readTree(ratingBlock));
    }
}
