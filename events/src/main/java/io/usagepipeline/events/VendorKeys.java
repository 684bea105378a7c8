package io.usagepipeline.events;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a tenant mapping's key (a VAC tenant id, a VSPC company's name or UID) is matched with the name a source sends:
 * regardless of case, of spaces around it, and of whether its letters come composed or decomposed ({@code ö} or
 * {@code o} and a combining diaeresis), since VSPC guarantees a company's name none of these, and a name typed into
 * the configuration may come either way.
 */
public final class VendorKeys {

    private VendorKeys() {
    }

    /** The form two names that are the same key share. */
    public static String of(final String name) {
        final String key = name.strip().toLowerCase(Locale.ROOT);
        // the check spares the copy for the names that are already composed, nearly all of them
        return Normalizer.isNormalized(key, Normalizer.Form.NFC) ? key : Normalizer.normalize(key, Normalizer.Form.NFC);
    }

    /**
     * Two keys of a mapping that are the same key but map to different tenants, described for an error line, or empty
     * when there are none: which tenant wins would depend on the mapping's order.
     */
    public static Optional<String> conflict(final Map<String, String> mapping) {
        final Map<String, Map.Entry<String, String>> byKey = new HashMap<>();
        for (final Map.Entry<String, String> entry : mapping.entrySet()) {
            final Map.Entry<String, String> earlier = byKey.putIfAbsent(of(entry.getKey()), entry);
            if (earlier != null && !earlier.getValue().equals(entry.getValue())) {
                return Optional.of("'" + earlier.getKey() + "' and '" + entry.getKey() + "' are one name (case, spaces "
                        + "around it and composed letters do not count), mapped to '" + earlier.getValue() + "' and '"
                        + entry.getValue() + "'; keep one");
            }
        }
        return Optional.empty();
    }
}
