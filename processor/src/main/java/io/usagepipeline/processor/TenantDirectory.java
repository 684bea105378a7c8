package io.usagepipeline.processor;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who the tenants of multi-tenant sources are: for each source id, the billing tenant of each VAC tenant id or VSPC
 * company name (the {@code tenants:} and {@code companies:} maps of the collector config). Company names compare
 * case-insensitively, as VSPC does not guarantee their casing.
 */
public final class TenantDirectory {

    private final Map<String, Map<String, String>> bySource;

    private TenantDirectory(final Map<String, Map<String, String>> bySource) {
        this.bySource = bySource;
    }

    public static TenantDirectory empty() {
        return new TenantDirectory(Map.of());
    }

    /** @param bySource source id → (VAC tenant id or VSPC company name → billing tenant) */
    public static TenantDirectory of(final Map<String, Map<String, String>> bySource) {
        final Map<String, Map<String, String>> normalized = new HashMap<>();
        bySource.forEach((source, mapping) -> {
            final Map<String, String> keys = new HashMap<>();
            mapping.forEach((vendorKey, tenant) -> keys.put(vendorKey.toLowerCase(Locale.ROOT), tenant));
            normalized.put(source, Map.copyOf(keys));
        });
        return new TenantDirectory(Map.copyOf(normalized));
    }

    /** The configured tenant of a VAC tenant id or VSPC company of a source, if any. */
    public Optional<String> lookup(final String sourceId, final String vendorKey) {
        return Optional.ofNullable(bySource.getOrDefault(sourceId, Map.of()).get(vendorKey.toLowerCase(Locale.ROOT)));
    }
}
