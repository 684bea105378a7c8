package io.usagepipeline.processor.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.VendorKeys;
import java.math.BigDecimal;
import java.util.Locale;

/** Lenient reading of Veeam payload fields: real deployments rename fields and change types between versions. */
final class Payloads {

    /**
     * Digits a figure may have before and after the point. Far beyond any license count, and small enough that the
     * arithmetic on it stays cheap: {@code 1e1000000000} is valid JSON, and writing it out in full would take a
     * gigabyte and stop the processor.
     */
    private static final int MAX_INTEGER_DIGITS = 30;
    private static final int MAX_FRACTION_DIGITS = 100;

    private Payloads() {
    }

    /** The array at {@code field} of an object page, or the page itself for bare-array endpoints. */
    static JsonNode array(final JsonNode page, final String field, final String where)
            throws MalformedPayloadException {
        final JsonNode array = field == null ? page : page.path(field);
        if (!array.isArray()) {
            throw new MalformedPayloadException(where + ": expected " + (field == null ? "a JSON array"
                    : "an array '" + field + "'") + ", found " + describe(array));
        }
        return array;
    }

    /**
     * The first of {@code names} present with a value; a numeric string is read as a number (some builds quote
     * them). Null or absent: zero. Every figure read is a count or a quantity of licenses, so a negative one is a
     * broken payload, never something to bill.
     */
    static BigDecimal decimal(final JsonNode item, final String where, final String... names)
            throws MalformedPayloadException {
        final BigDecimal value = number(item, where, names);
        if (value.signum() < 0) {
            throw new MalformedPayloadException(where + ": '" + names[0] + "' is negative: " + value);
        }
        return value;
    }

    private static BigDecimal number(final JsonNode item, final String where, final String... names)
            throws MalformedPayloadException {
        for (final String name : names) {
            final JsonNode value = item.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isNumber()) {
                return plain(writable(value.decimalValue(), name, where));
            }
            final BigDecimal quoted = value.isTextual() ? parse(value.asText()) : null;
            if (quoted != null) {
                return plain(writable(quoted, name, where));
            }
            throw new MalformedPayloadException(where + ": '" + name + "' is not a number: " + value);
        }
        return BigDecimal.ZERO;
    }

    /** A number some builds send as a string, or null when the string is not one. */
    private static BigDecimal parse(final String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    /** Checks the size of a number before anything works on it; its value is checked against the fleet later. */
    private static BigDecimal writable(final BigDecimal value, final String name, final String where)
            throws ImplausibleFigureException {
        if (value.signum() != 0 && (value.precision() - value.scale() > MAX_INTEGER_DIGITS
                || value.scale() > MAX_FRACTION_DIGITS)) {
            throw new ImplausibleFigureException(where + ": '" + name + "' = " + value + " is not a plausible figure");
        }
        return value;
    }

    /** Jackson reads 1000.0 as 1E+3; keep a plain scale so extras compare and print as written. */
    private static BigDecimal plain(final BigDecimal value) {
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    static long count(final JsonNode item, final String where, final String... names)
            throws MalformedPayloadException {
        final BigDecimal value = decimal(item, where, names);
        try {
            return value.longValueExact();
        } catch (final ArithmeticException e) {
            throw new MalformedPayloadException(where + ": '" + names[0] + "' is not a whole count: " + value);
        }
    }

    /** A required text field (an id may come as a number). */
    static String text(final JsonNode item, final String name, final String where) throws MalformedPayloadException {
        final JsonNode value = item.get(name);
        if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
            throw new MalformedPayloadException(where + ": missing '" + name + "'");
        }
        return value.asText();
    }

    /** An optional text field, the first of {@code names} present. */
    static String optionalText(final JsonNode item, final String... names) {
        for (final String name : names) {
            final JsonNode value = item.get(name);
            if (value != null && !value.isNull() && !value.isContainerNode() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    /** {@code Virtual Machine} → {@code VIRTUAL_MACHINE}; {@code rental} → {@code RENTAL}. */
    static String upperSnake(final String text) {
        return text.trim().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "").toUpperCase(Locale.ROOT);
    }

    /**
     * {@code Alpha Corp.} → {@code alpha-corp}, {@code Müller GmbH} → {@code müller-gmbh}: the tenant id of an unmapped
     * VSPC company, its name's {@link VendorKeys key} with letters and digits of every script kept, so that two
     * companies whose names differ only there, Müller and Möller, stay two tenants, and a name with no Latin letter has
     * an id; a name of none at all gets one from its hash.
     */
    static String slug(final String text) {
        final String slug = VendorKeys.of(text).replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "company-" + Integer.toHexString(text.hashCode()) : slug;
    }

    static void requireObject(final JsonNode node, final String where) throws MalformedPayloadException {
        if (!node.isObject()) {
            throw new MalformedPayloadException(where + ": expected a JSON object, found " + describe(node));
        }
    }

    private static String describe(final JsonNode node) {
        return node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
