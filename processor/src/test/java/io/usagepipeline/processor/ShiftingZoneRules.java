package io.usagepipeline.processor;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.time.zone.ZoneRulesProvider;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A time zone whose rules a test changes, as a Java update with new tzdata changes a real zone's (Kazakhstan's zones
 * moved from UTC+6 to UTC+5 in 2024): {@value #ZONE}, with the rules set last ({@link #set}). They are not cached by
 * {@code ZoneId}, so every use reads them.
 */
final class ShiftingZoneRules extends ZoneRulesProvider {

    static final String ZONE = "Test/Shifting";
    private static final ShiftingZoneRules PROVIDER = new ShiftingZoneRules();
    private static volatile ZoneRules rules = ZoneRules.of(ZoneOffset.UTC);

    static {
        ZoneRulesProvider.registerProvider(PROVIDER);
    }

    private ShiftingZoneRules() {
    }

    /** The zone (registering its rules first). */
    static ZoneId zone() {
        return ZoneId.of(ZONE);
    }

    /** From now on, the zone has these rules. */
    static void set(final ZoneRules now) {
        rules = now;
    }

    @Override
    protected Set<String> provideZoneIds() {
        return Set.of(ZONE);
    }

    @Override
    protected ZoneRules provideRules(final String zoneId, final boolean forCaching) {
        return forCaching ? null : rules; // null: dynamic rules, asked for at every use
    }

    @Override
    protected NavigableMap<String, ZoneRules> provideVersions(final String zoneId) {
        return new TreeMap<>(Map.of("test", rules));
    }
}
