package io.usagepipeline.cli;

import io.usagepipeline.cli.config.ConfigException;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.processor.ProcessorConfig;
import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;

/**
 * The billing periods a replay recomputes, those overlapping [from, to), and the raw history they depend on.
 */
record ReplayWindow(Instant from, Instant to) {

    ReplayWindow {
        if (!to.isAfter(from)) {
            throw new ConfigException("--to (" + to + ") must be after --from (" + from + ")");
        }
    }

    /**
     * The earliest poll time a recomputation of the window needs, so that it gives the live figures:
     * the month that holds {@code from} in the earliest billing zone, less {@code maxGap} (the level carried into it),
     * less the horizon (series removed from a target are known zeros for that long after they were last seen), less
     * the grace (a duplicate poll of a slot is recognised for that long).
     */
    Instant lookbackStart(final ProcessorConfig config) {
        final Instant earliestMonth = Stream.concat(Stream.of(config.billingZone()),
                        config.tenantZones().values().stream())
                .map(zone -> monthStart(zone))
                .min(Instant::compareTo).orElseThrow();
        return earliestMonth.minus(config.maxGap()).minus(config.horizon()).minus(config.grace());
    }

    /** True when the record's period overlaps the window. */
    boolean covers(final PeriodRecord record) {
        return record.periodStart().isBefore(to) && record.periodEnd().isAfter(from);
    }

    private Instant monthStart(final ZoneId zone) {
        return from.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
    }
}
