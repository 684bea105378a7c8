package io.usagepipeline.processor.billing;

import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.runtime.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

/**
 * Holds the open periods the state kept against the calendar the configuration gives now, when a task starts: a zone
 * changed under open periods would otherwise open the new zone's periods beside them, and a tenant's month would be
 * billed twice, in two zones, or the rater would price only the part it saw first.
 *
 * <p>A change given from a month not yet begun is what the configuration is for ({@link ZoneSchedule}): the open
 * periods stay as they are, but for the old zone's last day and month when the new zone lies west, whose end moves to
 * the changeover, so that the hours between the two midnights are in them; so does the end of a period whose midnight a
 * Java update with new rules for its zone moved, before anything was folded there. A zone given another of its names
 * (UTC as Etc/UTC, or the fixed offset a zone had before a Java update brought new rules for it) changes no period and
 * is taken. Any other difference stops the processor, naming the key to give; where the zone's own rules moved its
 * midnights, the key that keeps its old offset until the open months end.
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
            // the same start under another name (UTC and Etc/UTC, or the fixed offset a zone had before a Java update
            // changed its rules), or another end (the old zone's last period stretched to a changeover west of it, or
            // a midnight new rules moved) with nothing folded at or after the earlier one: no hour changes period
            final Instant earlierEnd = expected.end().isBefore(held.end()) ? expected.end() : held.end();
            if (expected.sameKey(held) && (expected.end().equals(held.end())
                    || !open.fold().reachedBeyond(earlierEnd))) {
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
        final Optional<ZoneOffset> openedAt = expected.zone().equals(held.zone()) ? openedUnderOtherRules(held)
                : Optional.empty();
        // named as the state's zone had them: a zone's rules changed put its periods' dates elsewhere
        final Function<BillingPeriod, ZoneId> namedIn = period -> openedAt.isPresent() ? openedAt.get()
                : ZoneId.of(period.zone());
        final YearMonth lastOpen = state.open().stream().map(open -> YearMonth.from(open.period().start()
                .atZone(namedIn.apply(open.period())))).max(YearMonth::compareTo).orElseThrow();
        final String entry = config.tenantZones().containsKey(tenantId) ? tenantId
                : ProcessorConfig.EVERY_OTHER_TENANT;
        final String key = config.tenantZones().containsKey(entry) ? "processor.tenantZones." + entry
                : "processor.zone";
        final String opened = "tenant " + tenantId + "'s " + held.granularity() + " from " + held.start()
                .atZone(namedIn.apply(held)).toLocalDate();
        final String give = "give processor.tenantZones." + (entry.equals(tenantId) ? entry : "\"*\"") + ": [{zone: ";
        final ZoneId latest = config.scheduleOf(tenantId).latest();
        if (openedAt.isPresent()) {
            return key + ": " + opened + " was opened when " + held.zone() + " was " + openedAt.get() + " there, but "
                    + "this Java's time-zone rules (tzdata) put " + held.zone() + " at " + ZoneId.of(held.zone())
                    .getRules().getOffset(held.start()) + ", so the open periods are no longer its days and months: "
                    + "a Java update changed the zone's rules for a time the processor has open; bill at the offset "
                    + "they were opened at until their month ends, " + give + "\"" + openedAt.get() + "\"}, {zone: "
                    + latest + ", from: " + lastOpen.plusMonths(1) + "}]";
        }
        return key + ": " + opened + " is open in " + held.zone() + ", but the configuration bills that time in "
                + expected.zone() + (expected.zone().equals(held.zone()) ? " with another changeover" : "")
                + ": a billing zone changes at the start of a month that has not begun, or its month would be "
                + "billed in two zones; " + give + held.zone() + "}, {zone: " + latest + ", from: "
                + lastOpen.plusMonths(1) + "}]";
    }

    /**
     * The offset the zone had when the period was opened, where this Java's rules put the zone's day or month at
     * other instants: the period is a whole day or month of midnights at one fixed offset. A period cut at a
     * changeover of the schedule is not whole, and is not taken for one.
     */
    private static Optional<ZoneOffset> openedUnderOtherRules(final BillingPeriod held) {
        final ZoneOffset now = ZoneId.of(held.zone()).getRules().getOffset(held.start());
        final LocalDateTime utc = LocalDateTime.ofInstant(held.start(), ZoneOffset.UTC);
        final LocalDateTime local = utc.plusSeconds(now.getTotalSeconds());
        LocalDateTime midnight = local.toLocalDate().atStartOfDay();
        if (Duration.between(midnight, local).compareTo(Duration.ofHours(12)) > 0) {
            midnight = midnight.plusDays(1); // the nearer midnight: offsets move by hours, not by half a day
        }
        final long seconds = Duration.between(utc, midnight).toSeconds();
        if (Math.abs(seconds) > ZoneOffset.MAX.getTotalSeconds()) {
            return Optional.empty();
        }
        final ZoneOffset then = ZoneOffset.ofTotalSeconds((int) seconds);
        final BillingPeriod whole = BillingPeriod.containing(held.start(), held.granularity(), then);
        return whole.start().equals(held.start()) && whole.end().equals(held.end()) ? Optional.of(then)
                : Optional.empty();
    }
}
