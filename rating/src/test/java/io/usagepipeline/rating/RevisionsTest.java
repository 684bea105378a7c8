package io.usagepipeline.rating;

import static io.usagepipeline.rating.Fixtures.month;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.rating.Fixtures.Figures;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.runtime.config.ConfigException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A line priced again is a revision of the one published, in the same currency, with the delta between them. */
class RevisionsTest {

    @Test
    void shouldRestateALinePricedOtherwiseWithTheDeltaBetweenTheTwoAmounts() {
        final ChargeLine published = vbrLine(Fixtures.card()); // 10 × 4.50 = 45.00
        final ChargeLine repriced = vbrLine(Fixtures.card(Fixtures.CARD.replace("unitPrice: 4.50",
                "unitPrice: 5.00"))); // 10 × 5.00 = 50.00

        final ChargeLine next = Revisions.next(repriced, published).orElseThrow();
        assertThat(next.status()).isEqualTo(RecordStatus.RESTATED);
        assertThat(next.revision()).isEqualTo(2);
        assertThat(next.delta()).isEqualTo(new BigDecimal("5.00"));
        assertThat(Revisions.next(published, published)).isEmpty();
    }

    /**
     * A card whose currency changed prices every month the rater holds again: each line would be restated with a
     * "delta" between amounts in two currencies, which a billing system books as money. The rater stops instead,
     * naming the key.
     */
    @Test
    void shouldRefuseToRestateALineInAnotherCurrency() {
        final ChargeLine published = vbrLine(Fixtures.card());
        final ChargeLine inFrancs = vbrLine(Fixtures.card(Fixtures.CARD.replace("currency: EUR", "currency: CHF")));
        assertThat(inFrancs.currency()).isEqualTo("CHF");

        assertThatThrownBy(() -> Revisions.next(inFrancs, published)).isInstanceOf(ConfigException.class)
                .hasMessage("rating.currency: 'CHF', but globex's lines of 2026-03 were published in EUR, and the "
                        + "rater prices again every month it holds: each would be restated in CHF with a delta "
                        + "between the two currencies. Set rating.currency back to 'EUR': a month keeps the "
                        + "currency it was first priced in");
    }

    private static ChargeLine vbrLine(final RatingConfig card) {
        final List<MonthRater.Rated> lines = new MonthRater(card).rate("globex", YearMonth.parse("2026-03"),
                List.of(month("globex", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8))));
        return lines.get(0).line();
    }
}
