package io.usagepipeline.rating.card;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Binds the {@code rating:} block of the configuration (a plain tree, as YAML gives it) to a {@link RatingConfig},
 * and refuses anything that could not price correctly, naming the key: unknown keys, an unknown basis, a negative
 * price, tiers out of order or overlapping, a line with both or neither of a unit price and tiers, a card that a
 * tenant names but nobody defines, two versions of a card from the same month.
 */
public final class RatingConfigReader {

    private static final String ROOT = "rating";
    private static final int MAX_MONEY_SCALE = 6;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private RatingConfigReader() {
    }

    /**
     * @param rating the {@code rating} node; null or missing when the configuration has none
     * @throws RatingConfigException naming the first key that is wrong
     */
    public static RatingConfig read(final JsonNode rating) {
        if (rating == null || rating.isMissingNode() || rating.isNull()) {
            throw new RatingConfigException(ROOT, "missing: the rater needs a rate card (see the README, 'Rating')");
        }
        final Node root = new Node(ROOT, rating).mapping("currency", "moneyScale", "veeam", "cards", "tenants");
        final String currency = root.required("currency").text();
        if (!currency.matches("[A-Z]{3}")) {
            throw root.child("currency").wrong("'" + currency + "' is not an ISO 4217 code such as EUR");
        }
        final int moneyScale = root.has("moneyScale") ? root.child("moneyScale").wholeNumber(0, MAX_MONEY_SCALE) : 2;

        BigDecimal pricePerPoint = null;
        List<PointsRule> pointsRule = List.of(new PointsRule(Glob.of("*"), Basis.LAST_UNITS));
        if (root.has("veeam")) {
            final Node veeam = root.child("veeam").mapping("pricePerPoint", "pointsRule");
            if (veeam.has("pricePerPoint")) {
                pricePerPoint = veeam.child("pricePerPoint").nonNegative();
            }
            if (veeam.has("pointsRule")) {
                pointsRule = pointsRule(veeam.child("pointsRule"));
            }
        }

        final Map<String, List<CardVersion>> cards = cards(root.required("cards"));
        final Map<String, TenantTerms> tenants = tenants(root.required("tenants"), cards);
        return new RatingConfig(currency, moneyScale, pricePerPoint, pointsRule, cards, tenants);
    }

    private static List<PointsRule> pointsRule(final Node list) {
        final List<PointsRule> rules = list.list(rule -> {
            final Node fields = rule.mapping("match", "figure");
            if (fields.required("figure").text().equalsIgnoreCase(PointsRule.NONE)) {
                return new PointsRule(glob(fields.required("match")), null);
            }
            final Basis figure = fields.required("figure").oneOf(Basis.class);
            if (figure == Basis.POINTS) {
                throw fields.child("figure").wrong("POINTS is what this rule computes; name a figure of the record");
            }
            return new PointsRule(glob(fields.required("match")), figure);
        });
        if (rules.isEmpty() || !rules.get(rules.size() - 1).match().matchesEverything()) {
            throw list.wrong("the last rule must match \"*\", so that every license type has points");
        }
        return rules;
    }

    private static Map<String, List<CardVersion>> cards(final Node list) {
        final Map<String, List<CardVersion>> cards = new HashMap<>();
        final List<CardVersion> versions = list.list(RatingConfigReader::cardVersion);
        if (versions.isEmpty()) {
            throw list.wrong("no card: define at least one");
        }
        for (int i = 0; i < versions.size(); i++) {
            final CardVersion version = versions.get(i);
            final List<CardVersion> same = cards.computeIfAbsent(version.id(), id -> new ArrayList<>());
            if (same.stream().anyMatch(other -> other.effectiveFrom().equals(version.effectiveFrom()))) {
                throw new RatingConfigException(list.path + "[" + i + "].effectiveFrom", "card '" + version.id()
                        + "' already has a version effective from " + version.effectiveFrom());
            }
            same.add(version);
        }
        cards.values().forEach(same -> same.sort(Comparator.comparing(CardVersion::effectiveFrom)));
        cards.replaceAll((id, same) -> List.copyOf(same));
        return cards;
    }

    private static CardVersion cardVersion(final Node card) {
        final Node fields = card.mapping("id", "effectiveFrom", "minimumMonthly", "lines");
        final String id = fields.required("id").text();
        final YearMonth effectiveFrom = fields.required("effectiveFrom").month();
        final BigDecimal minimum = fields.has("minimumMonthly") ? fields.child("minimumMonthly").nonNegative()
                : BigDecimal.ZERO;
        final Node lines = fields.required("lines");
        final List<CardLine> parsed = lines.list(RatingConfigReader::cardLine);
        if (parsed.isEmpty()) {
            throw lines.wrong("no line: a card prices at least one license type");
        }
        return new CardVersion(id, effectiveFrom, minimum, parsed);
    }

    private static CardLine cardLine(final Node line) {
        final Node fields = line.mapping("match", "basis", "unitPrice", "tierMode", "tiers");
        final Glob match = glob(fields.required("match"));
        final Basis basis = fields.required("basis").oneOf(Basis.class);
        if (fields.has("unitPrice") == fields.has("tiers")) {
            throw fields.wrong("give either unitPrice (a flat price) or tiers (with tierMode), not "
                    + (fields.has("tiers") ? "both" : "neither"));
        }
        if (fields.has("unitPrice")) {
            if (fields.has("tierMode")) {
                throw fields.child("tierMode").wrong("a flat line (unitPrice) has no tiers to apply a mode to");
            }
            return new CardLine(match, basis, fields.child("unitPrice").nonNegative(), null, List.of());
        }
        final TierMode mode = fields.required("tierMode").oneOf(TierMode.class);
        return new CardLine(match, basis, null, mode, tiers(fields.child("tiers")));
    }

    private static List<Tier> tiers(final Node list) {
        final List<Tier> tiers = list.list(tier -> {
            final Node fields = tier.mapping("upTo", "unitPrice");
            return new Tier(fields.has("upTo") ? fields.child("upTo").nonNegative() : null,
                    fields.required("unitPrice").nonNegative());
        });
        if (tiers.isEmpty()) {
            throw list.wrong("no tier");
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            final BigDecimal upTo = tiers.get(i).upTo();
            final String key = list.path + "[" + i + "].upTo";
            if (i == tiers.size() - 1) {
                if (upTo != null) {
                    throw new RatingConfigException(key, "the last tier has no upTo, so that every quantity has a "
                            + "price");
                }
            } else if (upTo == null) {
                throw new RatingConfigException(key, "missing: only the last tier is open-ended");
            } else if (upTo.compareTo(previous) <= 0) {
                throw new RatingConfigException(key, upTo.toPlainString() + " is not above the previous tier's end "
                        + previous.toPlainString() + ": tiers must be in increasing order and must not overlap");
            } else {
                previous = upTo;
            }
        }
        return tiers;
    }

    private static Map<String, TenantTerms> tenants(final Node tenants, final Map<String, List<CardVersion>> cards) {
        final Map<String, TenantTerms> terms = new LinkedHashMap<>();
        tenants.fields().forEach((tenant, node) -> {
            final Node fields = node.mapping("card", "discountPercent");
            final String card = fields.required("card").text();
            if (!cards.containsKey(card)) {
                throw fields.child("card").wrong("no card with id '" + card + "' is defined; defined: "
                        + new TreeSet<>(cards.keySet()));
            }
            BigDecimal discount = BigDecimal.ZERO;
            if (fields.has("discountPercent")) {
                discount = fields.child("discountPercent").nonNegative();
                if (discount.compareTo(HUNDRED) > 0) {
                    throw fields.child("discountPercent").wrong("more than 100");
                }
            }
            terms.put(tenant, new TenantTerms(card, discount));
        });
        if (terms.isEmpty()) {
            throw tenants.wrong("no tenant: name \"*\" for everyone, or each tenant");
        }
        return terms;
    }

    private static Glob glob(final Node node) {
        final String text = node.text();
        if (text.isBlank()) {
            throw node.wrong("empty pattern");
        }
        return Glob.of(text);
    }

    /** A node of the tree with its key path, for messages. */
    private record Node(String path, JsonNode node) {

        Node mapping(final String... known) {
            if (!node.isObject()) {
                throw wrong("expected a mapping with " + String.join(", ", known));
            }
            final Set<String> allowed = Set.of(known);
            for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                final String name = names.next();
                if (!allowed.contains(name)) {
                    throw new RatingConfigException(path + "." + name, "unknown key; known here: "
                            + String.join(", ", known));
                }
            }
            return this;
        }

        boolean has(final String name) {
            return node.hasNonNull(name);
        }

        Node child(final String name) {
            return new Node(path + "." + name, node.get(name));
        }

        Node required(final String name) {
            if (!has(name)) {
                throw new RatingConfigException(path + "." + name, "missing");
            }
            return child(name);
        }

        <T> List<T> list(final Function<Node, T> element) {
            if (!node.isArray()) {
                throw wrong("expected a list");
            }
            final List<T> result = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                result.add(element.apply(new Node(path + "[" + i + "]", node.get(i))));
            }
            return result;
        }

        Map<String, Node> fields() {
            if (!node.isObject()) {
                throw wrong("expected a mapping");
            }
            final Map<String, Node> fields = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> fields.put(field.getKey(),
                    new Node(path + "." + field.getKey(), field.getValue())));
            return fields;
        }

        String text() {
            if (!node.isValueNode()) {
                throw wrong("expected a single value");
            }
            return node.asText().trim();
        }

        BigDecimal nonNegative() {
            final BigDecimal value;
            try {
                value = new BigDecimal(text());
            } catch (final NumberFormatException e) {
                throw wrong("'" + node.asText() + "' is not a number");
            }
            if (value.signum() < 0) {
                throw wrong(value.toPlainString() + " is negative");
            }
            return value;
        }

        int wholeNumber(final int min, final int max) {
            final String text = text();
            if (!text.matches("\\d{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
                throw wrong("'" + text + "' is not a whole number from " + min + " to " + max);
            }
            return Integer.parseInt(text);
        }

        /** A month, {@code 2026-01}; the first day of one, {@code 2026-01-01}, as YAML writers often put it, too. */
        YearMonth month() {
            final String text = text();
            try {
                if (text.matches("\\d{4}-\\d{2}-01")) {
                    return YearMonth.from(LocalDate.parse(text));
                }
                return YearMonth.parse(text);
            } catch (final DateTimeParseException e) {
                throw wrong("'" + node.asText() + "' is not a month such as 2026-01");
            }
        }

        <E extends Enum<E>> E oneOf(final Class<E> type) {
            final String text = text();
            for (final E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(text)) {
                    return value;
                }
            }
            throw wrong("'" + text + "' is not one of " + Arrays.toString(type.getEnumConstants())
                    .toUpperCase(Locale.ROOT));
        }

        RatingConfigException wrong(final String problem) {
            return new RatingConfigException(path, problem);
        }
    }
}
