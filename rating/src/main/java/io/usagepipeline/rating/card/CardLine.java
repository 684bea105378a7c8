package io.usagepipeline.rating.card;

import java.math.BigDecimal;
import java.util.List;

/**
 * One line of a card version: the license types it prices, the figure it bills, and either a flat unit price or
 * tiers.
 *
 * @param unitPrice the flat price; null when the line has tiers
 * @param tierMode  how the tiers price; null for a flat line
 * @param tiers     in order, every tier but the last with an end; empty for a flat line
 */
public record CardLine(Glob match, Basis basis, BigDecimal unitPrice, TierMode tierMode, List<Tier> tiers) {

    public CardLine {
        tiers = List.copyOf(tiers);
    }
}
