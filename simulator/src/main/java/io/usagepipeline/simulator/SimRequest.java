package io.usagepipeline.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the product handlers see it: the path below the appliance prefix, query parameters (names compared
 * case-insensitively, as the products do), headers (lower-case names) and a form body.
 */
record SimRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                  Map<String, String> form) {

    String param(final String name) {
        return query.get(name.toLowerCase(Locale.ROOT));
    }

    String header(final String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The bearer token of the Authorization header, or null. */
    String bearer() {
        final String authorization = header("authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    /** {@code a=1&b=x%20y} → map, names lower-cased when {@code lowerNames}. */
    static Map<String, String> parseForm(final String text, final boolean lowerNames) {
        final Map<String, String> values = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return values;
        }
        for (final String pair : text.split("&")) {
            final int eq = pair.indexOf('=');
            final String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(lowerNames ? name.toLowerCase(Locale.ROOT) : name, value);
        }
        return values;
    }
}
