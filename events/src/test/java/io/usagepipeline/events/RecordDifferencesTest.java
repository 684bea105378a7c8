package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordDifferencesTest {

    private static final ChargeLine LIVE = TestEvents.restatedCharge(); // amount 765.00, margin 600.00

    /** A line priced otherwise shows its money as the topic has it, to the cent: 765.00, not 765. */
    @Test
    void shouldShowAmountsAsWrittenOnTheTopic() throws Exception {
        final ChargeLine replayed = withMoney("810.00", "645.00");

        final var differences = RecordDifferences.betweenCharges("live", Map.of("k", LIVE), "replay",
                Map.of("k", replayed));

        assertThat(differences).singleElement().satisfies(difference -> {
            assertThat(difference.description()).isEqualTo(
                    "live vs replay: amount 765.00 vs 810.00, margin 600.00 vs 645.00");
            assertThat(difference.fields()).containsExactlyInAnyOrder("amount", "margin");
        });
    }

    /** 765.0 and 765.00 are the same amount: no difference. */
    @Test
    void shouldTakeTheSameFigureAtAnotherScaleForTheSame() throws Exception {
        final ChargeLine replayed = withMoney("765.0", "600");

        assertThat(RecordDifferences.betweenCharges("live", Map.of("k", LIVE), "replay", Map.of("k", replayed)))
                .isEmpty();
        assertThat(RecordDifferences.differingFields(LIVE, replayed)).isEmpty();
    }

    private static ChargeLine withMoney(final String amount, final String margin) throws Exception {
        final ObjectNode tree = Json.mapper().valueToTree(LIVE);
        tree.put("amount", new BigDecimal(amount));
        tree.put("margin", new BigDecimal(margin));
        return Json.mapper().treeToValue(tree, ChargeLine.class);
    }
}
