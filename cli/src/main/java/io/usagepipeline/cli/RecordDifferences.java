package io.usagepipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares two sets of billing records, key by key, as they are published (decimals rounded as on the topic): every
 * field counts, revision and recordId included, because a consumer of the topic sees all of them.
 */
final class RecordDifferences {

    /** One difference: a record only one side has, or the fields in which the two sides' records differ. */
    record Difference(String key, String description) {
    }

    /** 1.5 and 1.50 are the same figure. */
    private static final Comparator<JsonNode> NUMERIC_VALUE = (x, y) -> x.isNumber() && y.isNumber()
            ? x.decimalValue().compareTo(y.decimalValue()) : (x.equals(y) ? 0 : 1);

    private RecordDifferences() {
    }

    static List<Difference> between(final String leftName, final Map<String, PeriodRecord> left,
                                    final String rightName, final Map<String, PeriodRecord> right) {
        final TreeSet<String> keys = new TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        final List<Difference> differences = new ArrayList<>();
        for (final String key : keys) {
            final PeriodRecord a = left.get(key);
            final PeriodRecord b = right.get(key);
            if (a == null) {
                differences.add(new Difference(key, "only in " + rightName + " (" + b.status() + " r"
                        + b.revision() + ")"));
            } else if (b == null) {
                differences.add(new Difference(key, "only in " + leftName + " (" + a.status() + " r"
                        + a.revision() + ")"));
            } else {
                final String fields = differingFields(a, b);
                if (!fields.isEmpty()) {
                    differences.add(new Difference(key, leftName + " vs " + rightName + ": " + fields));
                }
            }
        }
        return differences;
    }

    /** The fields in which two records differ, as published, or an empty string when they are the same. */
    static String differingFields(final PeriodRecord a, final PeriodRecord b) {
        return differingFields(Json.mapper().valueToTree(a), Json.mapper().valueToTree(b));
    }

    /** Numbers as written on the topic (10, not 1E+1). */
    private static String show(final JsonNode value) {
        return value.isNumber() ? value.decimalValue().toPlainString() : value.toString();
    }

    private static String differingFields(final JsonNode a, final JsonNode b) {
        final List<String> fields = new ArrayList<>();
        final Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!a.get(name).equals(NUMERIC_VALUE, b.path(name))) {
                fields.add(name + " " + show(a.get(name)) + " vs " + show(b.path(name)));
            }
        }
        return String.join(", ", fields);
    }
}
