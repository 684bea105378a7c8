package io.usagepipeline.rating.card;

import java.math.BigDecimal;

/**
 * Which card a tenant is on, and its discount.
 *
 * @param discountPercent taken off every priced line before it is rounded; zero for none
 */
public record TenantTerms(String card, BigDecimal discountPercent) {
}
