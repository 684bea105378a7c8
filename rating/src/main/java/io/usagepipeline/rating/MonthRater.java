package io.usagepipeline.rating;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.rating.card.Basis;
import io.usagepipeline.rating.card.CardLine;
import io.usagepipeline.rating.card.CardVersion;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.rating.card.TenantTerms;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Prices one tenant's month (DESIGN §4b) from the latest revision of each of its MONTH records: one line per license
 * type (its figure summed over the tenant's sources), a MINIMUM_TOP_UP line when the card's minimum is not reached,
 * and the TOTAL. Every amount is rounded once, per line. The lines come out as first revisions; {@link Revisions}
 * decides which of them are news.
 */
final class MonthRater {

    private static final String TOP_UP_UNIT = "month";

    private final RatingConfig config;

    MonthRater(final RatingConfig config) {
        this.config = config;
    }

    /**
     * A line as rated now.
     *
     * @param unpricedReason why the line has no price; null when it has one
     */
    record Rated(ChargeLine line, String unpricedReason) {
    }

    /** The month's lines: license types in order, then MINIMUM_TOP_UP when due, then TOTAL. */
    List<Rated> rate(final String tenantId, final YearMonth month, final Collection<PeriodRecord> records) {
        final String zone = records.iterator().next().zone();
        final Optional<TenantTerms> terms = config.termsOf(tenantId);
        final Optional<CardVersion> version = terms.flatMap(t -> config.version(t.card(), month));
        final BigDecimal discount = terms.map(TenantTerms::discountPercent).orElse(BigDecimal.ZERO);
        final LineFactory lines = new LineFactory(tenantId, month.toString(), zone,
                terms.map(TenantTerms::card).orElse(null),
                version.map(v -> v.effectiveFrom().toString()).orElse(null), discount);

        final Map<String, List<PeriodRecord>> byType = new TreeMap<>();
        records.forEach(record -> byType.computeIfAbsent(record.licenseType(), type -> new ArrayList<>()).add(record));

        final List<Rated> rated = new ArrayList<>();
        for (final Map.Entry<String, List<PeriodRecord>> type : byType.entrySet()) {
            rated.add(rateType(lines, type.getKey(), type.getValue(), terms, version, month));
        }
        final BigDecimal priced = sum(rated, ChargeLine::amount);
        version.filter(v -> v.minimumMonthly().compareTo(priced) > 0).ifPresent(v -> {
            final BigDecimal topUp = config.round(v.minimumMonthly().subtract(priced));
            rated.add(new Rated(lines.line(ChargeLine.MINIMUM_TOP_UP, null, BigDecimal.ONE, TOP_UP_UNIT, topUp,
                    List.of(), topUp, true, BigDecimal.ZERO, config.cost(BigDecimal.ZERO), allIds(records),
                    asOf(records)), null));
        });
        final BigDecimal cost = config.pricePerPoint() == null ? null : sum(rated, ChargeLine::cost);
        rated.add(new Rated(lines.line(ChargeLine.TOTAL, null, null, null, null, List.of(),
                sum(rated, ChargeLine::amount), rated.stream().allMatch(r -> r.line().priced()),
                sum(rated, ChargeLine::points), cost, allIds(records), asOf(records)), null));
        return rated;
    }

    private Rated rateType(final LineFactory lines, final String licenseType, final List<PeriodRecord> records,
                           final Optional<TenantTerms> terms, final Optional<CardVersion> version,
                           final YearMonth month) {
        final BigDecimal points = records.stream().map(config::points)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        final BigDecimal cost = config.cost(points);
        final List<UUID> ids = records.stream().map(PeriodRecord::recordId).sorted().toList();
        final String recordUnit = records.get(0).unit();
        final Optional<CardLine> cardLine = version.flatMap(v -> v.lineFor(licenseType));
        if (cardLine.isEmpty()) {
            final String reason = terms.isEmpty()
                    ? "tenant '" + lines.tenantId + "' is on no card: rating.tenants names neither it nor \"*\""
                    : version.isEmpty()
                    ? "card '" + terms.get().card() + "' has no version effective in " + month
                    : "no line of card '" + terms.get().card() + "' (version " + version.get().effectiveFrom()
                            + ") matches " + licenseType;
            return new Rated(lines.line(licenseType, null, null, recordUnit, null, List.of(),
                    config.round(BigDecimal.ZERO), false, points, cost, ids, asOf(records)), reason);
        }
        final Basis basis = cardLine.get().basis();
        final BigDecimal quantity = basis == Basis.POINTS ? points
                : records.stream().map(basis::figure).reduce(BigDecimal.ZERO, BigDecimal::add);
        final Pricing.Priced price = Pricing.price(cardLine.get(), quantity);
        return new Rated(lines.line(licenseType, basis, quantity, basis.unit(recordUnit), price.unitPrice(),
                price.tiers(), config.round(price.discounted(lines.discountPercent)), true, points, cost, ids,
                asOf(records)), null);
    }

    private static BigDecimal sum(final List<Rated> rated, final Function<ChargeLine, BigDecimal> figure) {
        return rated.stream().map(r -> figure.apply(r.line())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static List<UUID> allIds(final Collection<PeriodRecord> records) {
        return records.stream().map(PeriodRecord::recordId).sorted().toList();
    }

    private static Instant asOf(final Collection<PeriodRecord> records) {
        return records.stream().map(PeriodRecord::asOf).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** What every line of one tenant's month shares. */
    private final class LineFactory {
        private final String tenantId;
        private final String month;
        private final String zone;
        private final String cardId;
        private final String cardVersion;
        private final BigDecimal discountPercent;

        LineFactory(final String tenantId, final String month, final String zone, final String cardId,
                    final String cardVersion, final BigDecimal discountPercent) {
            this.tenantId = tenantId;
            this.month = month;
            this.zone = zone;
            this.cardId = cardId;
            this.cardVersion = cardVersion;
            this.discountPercent = discountPercent;
        }

        ChargeLine line(final String line, final Basis basis, final BigDecimal quantity, final String unit,
                        final BigDecimal unitPrice, final List<ChargeLine.TierApplied> tiers,
                        final BigDecimal amount, final boolean priced, final BigDecimal points, final BigDecimal cost,
                        final List<UUID> recordIds, final Instant asOf) {
            final String key = Keys.chargeKey(tenantId, month, line);
            return new ChargeLine(null, Ids.chargeId(key, 1), tenantId, month, zone, line, cardId, cardVersion,
                    basis == null ? null : basis.name(), quantity, unit, unitPrice, tiers,
                    ChargeLine.MINIMUM_TOP_UP.equals(line) ? BigDecimal.ZERO : discountPercent, amount,
                    config.currency(), priced, points, cost, cost == null ? null : amount.subtract(cost),
                    RecordStatus.FINAL, 1, null, amount, recordIds, asOf);
        }
    }
}
