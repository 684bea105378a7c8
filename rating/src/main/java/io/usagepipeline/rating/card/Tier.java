package io.usagepipeline.rating.card;

import java.math.BigDecimal;

/**
 * One tier of a tiered line.
 *
 * @param upTo      the quantity the tier ends at, inclusive; null for the last tier, which has no end
 * @param unitPrice the price per unit within the tier
 */
public record Tier(BigDecimal upTo, BigDecimal unitPrice) {
}
