package io.usagepipeline.rating;

import io.usagepipeline.events.ChargeLine.TierApplied;
import io.usagepipeline.rating.card.CardLine;
import io.usagepipeline.rating.card.Tier;
import io.usagepipeline.rating.card.TierMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Prices a quantity on one card line, exactly: nothing here rounds (the rater rounds each line once). */
final class Pricing {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Pricing() {
    }

    /**
     * @param gross     quantity × price, before the discount
     * @param unitPrice the flat price, or null for tiers
     * @param tiers     what each tier priced, for tiered lines
     */
    record Priced(BigDecimal gross, BigDecimal unitPrice, List<TierApplied> tiers) {

        /** The gross amount less a discount in percent, still unrounded. */
        BigDecimal discounted(final BigDecimal discountPercent) {
            return gross.multiply(HUNDRED.subtract(discountPercent)).divide(HUNDRED);
        }
    }

    static Priced price(final CardLine line, final BigDecimal quantity) {
        if (line.tierMode() == null) {
            return new Priced(quantity.multiply(line.unitPrice()), line.unitPrice(), List.of());
        }
        return line.tierMode() == TierMode.GRADUATED ? graduated(line.tiers(), quantity)
                : volume(line.tiers(), quantity);
    }

    /** Each slice of the quantity at its own tier's price; a tier's end is inclusive. */
    private static Priced graduated(final List<Tier> tiers, final BigDecimal quantity) {
        final List<TierApplied> applied = new ArrayList<>();
        BigDecimal gross = BigDecimal.ZERO;
        BigDecimal from = BigDecimal.ZERO;
        for (final Tier tier : tiers) {
            if (quantity.compareTo(from) <= 0) {
                break;
            }
            final BigDecimal to = tier.upTo() == null ? quantity : tier.upTo().min(quantity);
            final BigDecimal slice = to.subtract(from);
            final BigDecimal amount = slice.multiply(tier.unitPrice());
            applied.add(new TierApplied(from, tier.upTo(), tier.unitPrice(), slice, amount));
            gross = gross.add(amount);
            if (tier.upTo() == null) {
                break;
            }
            from = tier.upTo();
        }
        return new Priced(gross, null, applied);
    }

    /** The whole quantity at the price of the first tier whose end it does not pass. */
    private static Priced volume(final List<Tier> tiers, final BigDecimal quantity) {
        BigDecimal from = BigDecimal.ZERO;
        for (final Tier tier : tiers) {
            if (tier.upTo() == null || quantity.compareTo(tier.upTo()) <= 0) {
                final BigDecimal amount = quantity.multiply(tier.unitPrice());
                return new Priced(amount, null, List.of(new TierApplied(from, tier.upTo(), tier.unitPrice(), quantity,
                        amount)));
            }
            from = tier.upTo();
        }
        throw new IllegalStateException("the last tier is open-ended");
    }
}
