package io.usagepipeline.processor.billing;

import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.runtime.config.ConfigException;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * Holds the open periods the state kept against the calendar the configuration gives now, when a task starts: a zone
 * changed under open periods would otherwise open the new zone's periods beside them, and a tenant's month would be
 * billed twice, in two zones, or the rater would price only the part it saw first.
 *
 * <p>A change given from a month not yet begun is what the configuration is for ({@link ZoneSchedule}): the open
 * periods stay as they are, but for the old zone's last day and month when the new zone lies west, whose end moves to
 * the changeover, so that the hours between the two midnights are in them. A zone given another of its names (UTC as
 * Etc/UTC) changes no period and is taken. Any other difference stops the processor, naming the key to give.
 */
public final class CalendarCheck {

    private final ProcessorConfig config;

    public CalendarCheck(final ProcessorConfig config) {
        this.config = config;
    }

    /**
     * The series with its open periods as the configured calendar has them.
     *
     * @throws ConfigException when an open period is not one of the calendar's
     */
    SeriesState aligned(final SeriesState state) {
        final ZoneSchedule calendar = config.scheduleOf(state.tenantId());
        SeriesState aligned = state;
        for (final PeriodState open : state.open()) {
            final BillingPeriod held = open.period();
            final BillingPeriod expected = calendar.containing(held.start(), held.granularity());
            if (expected.equals(held)) {
                continue;
            }
            // the same instants under another name of the zone (UTC and Etc/UTC), or the old zone's last period
            // stretched to a changeover west of it, with nothing folded beyond its old end
            final boolean renamed = expected.sameKey(held) && expected.end().equals(held.end());
            final boolean stretched = expected.sameKey(held) && expected.zone().equals(held.zone())
                    && expected.end().isAfter(held.end()) && !open.fold().reachedBeyond(held.end());
            if (renamed || stretched) {
                aligned = aligned.withOpen(open.withFold(open.fold().over(expected)));
                continue;
            }
            throw new ConfigException(mismatch(state, held, expected));
        }
        return aligned;
    }

    /** What is wrong, and the entry that changes the zone after every month the series has open. */
    private String mismatch(final SeriesState state, final BillingPeriod held, final BillingPeriod expected) {
        final String tenantId = state.tenantId();
        final YearMonth lastOpen = state.open().stream().map(open -> YearMonth.from(open.period().start()
                .atZone(ZoneId.of(open.period().zone())))).max(YearMonth::compareTo).orElseThrow();
        final String entry = config.tenantZones().containsKey(tenantId) ? tenantId
                : ProcessorConfig.EVERY_OTHER_TENANT;
        final String key = config.tenantZones().containsKey(entry) ? "processor.tenantZones." + entry
                : "processor.zone";
        return key + ": tenant " + tenantId + "'s " + held.granularity() + " from " + held.start()
                .atZone(ZoneId.of(held.zone())).toLocalDate() + " is open in " + held.zone() + ", but the "
                + "configuration bills that time in " + expected.zone()
                + (expected.zone().equals(held.zone()) ? " with another changeover" : "")
                + ": a billing zone changes at the start of a month that has not begun, or its month would be "
                + "billed in two zones; give processor.tenantZones." + (entry.equals(tenantId) ? entry : "\"*\"")
                + ": [{zone: " + held.zone() + "}, {zone: " + config.scheduleOf(tenantId).latest() + ", from: "
                + lastOpen.plusMonths(1) + "}]";
    }
}
