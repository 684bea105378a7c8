package io.usagepipeline.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.report.Letterhead;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.Setting;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The statements' letterhead ({@code statements.*}), for {@code report} and the demo: see {@link Letterhead}. */
public final class LetterheadSettings {

    public static final Setting<String> ISSUER = new Setting<>("statements.issuer", "", "a name", String::strip,
            "Who the statements are from, at the top of every page (the customer's copy too).");

    public static final Setting<String> ISSUER_DETAILS = new Setting<>("statements.issuerDetails", "",
            "one line of text", String::strip, "A line under the issuer: an address, where to ask about the "
                    + "statement.");

    /** Tenant id → the customer's name, for the heading of its statements. */
    public static final String CUSTOMERS = "statements.customers";

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(ISSUER, ISSUER_DETAILS), CUSTOMERS);

    private LetterheadSettings() {
    }

    public static Letterhead bind(final ConfigTree tree) {
        final Map<String, String> customers = new TreeMap<>();
        tree.section(CUSTOMERS).ifPresent(node -> {
            if (!node.isObject()) {
                throw new ConfigException(CUSTOMERS + ": expected a mapping of tenant ids to names");
            }
            node.fields().forEachRemaining(entry -> customers.put(entry.getKey(),
                    name(entry.getValue(), CUSTOMERS + "." + entry.getKey())));
        });
        return new Letterhead(tree.get(ISSUER), tree.get(ISSUER_DETAILS), customers);
    }

    private static String name(final JsonNode node, final String path) {
        if (!node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            throw new ConfigException(path + ": expected the customer's name");
        }
        return node.asText().strip();
    }
}
