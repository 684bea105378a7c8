package io.usagepipeline.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares two sets of published records, key by key, as they are on the topic (decimals rounded as written). For
 * billing records every field counts, revision and recordId included, because a consumer of the topic sees all of
 * them; charge lines are compared on what they price, since a replay's lines are first revisions of their own.
 */
public final class RecordDifferences {

    /**
     * One difference: a record only one side has, or the fields in which the two sides' records differ.
     *
     * @param fields the names of the fields that differ; empty when only one side has the record
     */
    public record Difference(String key, String description, Set<String> fields) {

        public Difference {
            fields = Set.copyOf(fields);
        }
    }

    /** Records as trees whose decimals read as on the topic: Jackson's trees would show an amount of 15.00 as 15. */
    private static final ObjectMapper TREES = Json.mapper().copy()
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /** 1.5 and 1.50 are the same figure. */
    private static final Comparator<JsonNode> NUMERIC_VALUE = (x, y) -> x.isNumber() && y.isNumber()
            ? x.decimalValue().compareTo(y.decimalValue()) : (x.equals(y) ? 0 : 1);

    private RecordDifferences() {
    }

    /** The fields of a charge line that say how it was priced, not which revision of it this is. */
    private static final Set<String> REVISION_FIELDS = Set.of("chargeId", "status", "revision", "supersedes",
            "delta");

    public static List<Difference> between(final String leftName, final Map<String, PeriodRecord> left,
                                    final String rightName, final Map<String, PeriodRecord> right) {
        return between(leftName, left, rightName, right, Set.of(),
                record -> record.status() + " r" + record.revision());
    }

    /**
     * Charge lines, on everything but their revision fields. A top-up of 0 is one that a later rating withdrew: the
     * same as none, which is what a rater that saw the whole month at once has.
     */
    public static List<Difference> betweenCharges(final String leftName, final Map<String, ChargeLine> left,
                                           final String rightName, final Map<String, ChargeLine> right) {
        return between(leftName, billed(left), rightName, billed(right), REVISION_FIELDS,
                line -> line.amount().toPlainString() + " " + line.currency());
    }

    private static Map<String, ChargeLine> billed(final Map<String, ChargeLine> lines) {
        final Map<String, ChargeLine> billed = new TreeMap<>(lines);
        billed.values().removeIf(line -> line.line().equals(ChargeLine.MINIMUM_TOP_UP) && line.amount().signum() == 0);
        return billed;
    }

    private static <T> List<Difference> between(final String leftName, final Map<String, T> left,
                                                final String rightName, final Map<String, T> right,
                                                final Set<String> ignored, final Function<T, String> summary) {
        final TreeSet<String> keys = new TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        final List<Difference> differences = new ArrayList<>();
        for (final String key : keys) {
            final T a = left.get(key);
            final T b = right.get(key);
            if (a == null) {
                differences.add(new Difference(key, "only in " + rightName + " (" + summary.apply(b) + ")", Set.of()));
            } else if (b == null) {
                differences.add(new Difference(key, "only in " + leftName + " (" + summary.apply(a) + ")", Set.of()));
            } else {
                final Map<String, String> fields = differing(TREES.valueToTree(a),
                        TREES.valueToTree(b), ignored);
                if (!fields.isEmpty()) {
                    differences.add(new Difference(key, leftName + " vs " + rightName + ": "
                            + String.join(", ", fields.values()), fields.keySet()));
                }
            }
        }
        return differences;
    }

    /** The fields in which two records differ, as published, or an empty string when they are the same. */
    public static String differingFields(final Object a, final Object b) {
        return String.join(", ", differing(TREES.valueToTree(a), TREES.valueToTree(b), Set.of())
                .values());
    }

    /** Numbers as written on the topic (10.00, not 1.0E+1 nor 10). */
    private static String show(final JsonNode value) {
        return value.isNumber() ? value.decimalValue().toPlainString() : value.toString();
    }

    /** Each field in which two records differ, in the records' order, with how it reads on each side. */
    private static Map<String, String> differing(final JsonNode a, final JsonNode b, final Set<String> ignored) {
        final Map<String, String> fields = new LinkedHashMap<>();
        final Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!ignored.contains(name) && !a.get(name).equals(NUMERIC_VALUE, b.path(name))) {
                fields.put(name, name + " " + show(a.get(name)) + " vs " + show(b.path(name)));
            }
        }
        return fields;
    }
}
