package io.usagepipeline.rating.card;

import io.usagepipeline.events.PeriodRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code rating:} block (DESIGN §4b), bound and checked by {@link RatingConfigReader}: every card referenced
 * exists, every tier list is ordered, every price is non-negative.
 *
 * @param pricePerPoint what the provider pays Veeam for one point; null when not configured (no cost, no margin)
 * @param pointsRule    first match wins; the last rule matches every license type
 * @param cards         every version of every card, by card id, oldest version first
 * @param tenants       by tenant id; {@code *} is everyone else
 */
public record RatingConfig(String currency, int moneyScale, BigDecimal pricePerPoint, List<PointsRule> pointsRule,
                           Map<String, List<CardVersion>> cards, Map<String, TenantTerms> tenants) {

    /** The tenant key that stands for every tenant not named. */
    public static final String EVERYONE_ELSE = "*";

    public RatingConfig {
        pointsRule = List.copyOf(pointsRule);
        cards = Map.copyOf(cards);
        tenants = Map.copyOf(tenants);
    }

    /** The tenants {@code rating.tenants} names, {@code *} left out. */
    public Set<String> namedTenants() {
        return tenants.keySet().stream().filter(tenant -> !tenant.equals(EVERYONE_ELSE)).collect(Collectors.toSet());
    }

    /** The tenant's terms, or those of {@code *}. */
    public Optional<TenantTerms> termsOf(final String tenantId) {
        return Optional.ofNullable(tenants.getOrDefault(tenantId, tenants.get(EVERYONE_ELSE)));
    }

    /** The version of a card that prices a month: the latest one effective from that month or before. */
    public Optional<CardVersion> version(final String cardId, final YearMonth month) {
        return cards.getOrDefault(cardId, List.of()).stream()
                .filter(version -> !version.effectiveFrom().isAfter(month))
                .max(Comparator.comparing(CardVersion::effectiveFrom));
    }

    /** The Veeam points of one month's record: the points rule's figure of it, 0 for a type counted elsewhere. */
    public BigDecimal points(final PeriodRecord record) {
        final Basis figure = pointsFigure(record.licenseType());
        return figure == null ? BigDecimal.ZERO : figure.figure(record);
    }

    /** The figure Veeam counts for a license type; null when its rule says NONE. */
    public Basis pointsFigure(final String licenseType) {
        return pointsRule.stream().filter(rule -> rule.match().matches(licenseType)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the last points rule matches everything"))
                .figure();
    }

    /** The one rounding of money: HALF_EVEN to the money scale. */
    public BigDecimal round(final BigDecimal amount) {
        return amount.setScale(moneyScale, RoundingMode.HALF_EVEN);
    }

    /** What {@code points} cost the provider, rounded once; null when no price per point is configured. */
    public BigDecimal cost(final BigDecimal points) {
        return pricePerPoint == null ? null : round(points.multiply(pricePerPoint));
    }

    /**
     * Checks that every card a tenant is on has a version effective from {@code first} on: a month without one could
     * not be priced. One month suffices, since a later version only ever takes over from an earlier one.
     *
     * @throws RatingConfigException naming the tenant's card key
     */
    public void requireEffectiveFrom(final YearMonth first) {
        tenants.forEach((tenant, terms) -> {
            if (version(terms.card(), first).isEmpty()) {
                throw new RatingConfigException("rating.tenants." + tenant + ".card",
                        "card '" + terms.card() + "' has no version effective in " + first + " (its first version "
                                + "starts " + cards.get(terms.card()).get(0).effectiveFrom() + ")");
            }
        });
    }
}
