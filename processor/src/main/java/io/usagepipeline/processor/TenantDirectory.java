package io.usagepipeline.processor;

import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.VendorKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who the tenants of multi-tenant sources are: the VAC tenant id or VSPC company → tenant mapping of a raw poll.
 * A poll carries the mapping its collector held ({@link RawPoll#tenantMap()}), and that one wins, so a replay bills
 * with the mapping in force at poll time. Polls written before the field existed fall back to the processor's own
 * {@code processor.tenantMaps}. Vendor keys are matched as {@link VendorKeys} says.
 */
public final class TenantDirectory {

    private final Map<String, Map<String, String>> fallbackBySource;

    private TenantDirectory(final Map<String, Map<String, String>> fallbackBySource) {
        this.fallbackBySource = fallbackBySource;
    }

    public static TenantDirectory empty() {
        return new TenantDirectory(Map.of());
    }

    /** @param fallbackBySource source id → (vendor key → tenant), for polls without their own mapping */
    public static TenantDirectory of(final Map<String, Map<String, String>> fallbackBySource) {
        final Map<String, Map<String, String>> normalized = new HashMap<>();
        fallbackBySource.forEach((source, mapping) -> normalized.put(source, normalize(mapping)));
        return new TenantDirectory(Map.copyOf(normalized));
    }

    /** The mapping that applies to one poll. */
    public Mapping of(final RawPoll poll) {
        return new Mapping(poll.tenantMap() != null ? normalize(poll.tenantMap())
                : fallbackBySource.getOrDefault(poll.sourceId(), Map.of()));
    }

    private static Map<String, String> normalize(final Map<String, String> mapping) {
        final Map<String, String> keys = new HashMap<>();
        mapping.forEach((vendorKey, tenant) -> keys.put(VendorKeys.of(vendorKey), tenant));
        return Map.copyOf(keys);
    }

    /** Vendor key → tenant of one poll. */
    public static final class Mapping {
        private final Map<String, String> byVendorKey;

        private Mapping(final Map<String, String> byVendorKey) {
            this.byVendorKey = byVendorKey;
        }

        /** The tenant of a VAC tenant id or VSPC company, if mapped. */
        public Optional<String> lookup(final String vendorKey) {
            return Optional.ofNullable(byVendorKey.get(VendorKeys.of(vendorKey)));
        }

        /**
         * Whether more than one vendor key maps to this tenant (two console accounts billed as one customer). Asked
         * for every item of a VAC poll, whose mapping is a few entries at most: a loop, since a stream over them cost
         * a fiftieth of a replay.
         */
        public boolean shared(final String tenantId) {
            int keys = 0;
            for (final String tenant : byVendorKey.values()) {
                if (tenant.equals(tenantId) && ++keys > 1) {
                    return true;
                }
            }
            return false;
        }
    }
}
