package io.usagepipeline.collector.config;

import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.Setting;
import io.usagepipeline.runtime.config.Values;
import java.time.Duration;
import java.util.List;

/**
 * The collector's settings ({@code collector.*}): how often it polls, how many polls run at once, and the sources.
 *
 * @param pollInterval slots are aligned to it
 * @param concurrency  polls running at once
 */
public record CollectorSettings(Duration pollInterval, int concurrency, List<Source> sources) {

    public static final Setting<Duration> POLL_INTERVAL = new Setting<>("collector.pollInterval", "PT15M",
            "an ISO-8601 duration of at least one minute, e.g. PT15M", CollectorSettings::pollInterval,
            "How often every source is polled; slots are aligned to this interval.");

    public static final Setting<Integer> CONCURRENCY = new Setting<>("collector.concurrency", "32",
            "a whole number from 1 to 1000", text -> Values.intBetween(text, 1, 1000),
            "Polls running at once; each is a sequence of small requests to one appliance.");

    /** The appliances and their tenants (DESIGN §5), bound by {@link SourcesParser}. */
    public static final String SOURCES = "collector.sources";

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(POLL_INTERVAL, CONCURRENCY), SOURCES);

    public CollectorSettings {
        sources = List.copyOf(sources);
    }

    /** @throws ConfigException naming the key when no source is configured or one is not valid */
    public static CollectorSettings bind(final ConfigTree tree) {
        final List<Source> sources;
        try {
            sources = new SourcesParser(tree.env()).parse(tree.section(SOURCES)
                    .orElseThrow(() -> new ConfigException(SOURCES + ": no sources configured; see README")));
        } catch (final SourcesParser.InvalidSourceException e) {
            throw new ConfigException(e.getMessage());
        }
        return new CollectorSettings(tree.get(POLL_INTERVAL), tree.get(CONCURRENCY), sources);
    }

    private static Duration pollInterval(final String text) {
        final Duration duration = Values.duration(text);
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("shorter than one minute");
        }
        return duration;
    }
}
