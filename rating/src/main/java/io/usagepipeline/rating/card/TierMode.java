package io.usagepipeline.rating.card;

/** How tiers price a quantity. */
public enum TierMode {
    /** Each slice of the quantity at its own tier's price (150 on tiers up to 100 at 6, then 5: 100×6 + 50×5). */
    GRADUATED,
    /** The whole quantity at the price of the tier it falls in (150 on the same tiers: 150×5). */
    VOLUME
}
