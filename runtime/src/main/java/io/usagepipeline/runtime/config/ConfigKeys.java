package io.usagepipeline.runtime.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one part reads from the configuration: its scalar settings and the paths of its structured sections. The
 * loader takes the union of every part's keys, so that a key nobody reads is refused at start.
 */
public record ConfigKeys(List<Setting<?>> settings, Set<String> sections) {

    public ConfigKeys {
        settings = List.copyOf(settings);
        sections = Set.copyOf(sections);
    }

    public static ConfigKeys of(final List<Setting<?>> settings, final String... sections) {
        return new ConfigKeys(settings, Set.of(sections));
    }

    /** Every key of these parts together. */
    public static ConfigKeys union(final ConfigKeys... parts) {
        final List<Setting<?>> settings = new ArrayList<>();
        final Set<String> sections = new HashSet<>();
        for (final ConfigKeys part : parts) {
            settings.addAll(part.settings());
            sections.addAll(part.sections());
        }
        return new ConfigKeys(settings, sections);
    }
}
