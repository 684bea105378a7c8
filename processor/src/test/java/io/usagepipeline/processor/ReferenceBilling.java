package io.usagepipeline.processor;

import io.usagepipeline.events.Granularity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A deliberately simple reading of DESIGN §4, kept apart from the production fold: it walks a period minute by
 * minute and asks, for each minute, which observation (if any) decides the level. Observations must fall on whole
 * minutes.
 */
final class ReferenceBilling {

    /** Figures of one period, exact values rounded once to 6 digits. */
    record Expected(BigDecimal peakUnits, BigDecimal avgUnits, BigDecimal unitHours, BigDecimal lastUnits,
                    long peakCount, long lastCount, long samples, BigDecimal coverage) {
    }

    record Level(BigDecimal units, long count) {
    }

    private ReferenceBilling() {
    }

    static Expected figures(final NavigableMap<Instant, Level> observations, final Instant start, final Instant end,
                            final Duration maxGap) {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal peak = BigDecimal.ZERO;
        long peakCount = 0;
        long knownMinutes = 0;
        Level last = null;
        for (Instant minute = start; minute.isBefore(end); minute = minute.plusSeconds(60)) {
            final Map.Entry<Instant, Level> decides = observations.floorEntry(minute);
            if (decides == null || !minute.isBefore(decides.getKey().plus(maxGap))) {
                continue; // unknown: no observation, or the last one is older than maxGap
            }
            final Level level = decides.getValue();
            knownMinutes++;
            sum = sum.add(level.units());
            peak = peak.max(level.units());
            peakCount = Math.max(peakCount, level.count());
            last = level;
        }
        final long samples = observations.subMap(start, true, end, false).size();
        final long totalMinutes = Duration.between(start, end).toMinutes();
        return new Expected(peak,
                knownMinutes == 0 ? BigDecimal.ZERO
                        : sum.divide(BigDecimal.valueOf(knownMinutes), 6, RoundingMode.HALF_EVEN),
                sum.divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_EVEN),
                last == null ? BigDecimal.ZERO : last.units(), peakCount, last == null ? 0 : last.count(), samples,
                BigDecimal.valueOf(knownMinutes).divide(BigDecimal.valueOf(totalMinutes), 6, RoundingMode.HALF_EVEN));
    }

    /**
     * The calendar periods of a granularity in which the level is known for some time: those that contain an
     * observation, and those into which one's level is carried (within maxGap) without any of their own.
     */
    static NavigableMap<Instant, Instant> periodsWithKnowledge(final NavigableMap<Instant, Level> observations,
                                                               final Granularity granularity, final ZoneId zone,
                                                               final Duration maxGap) {
        final NavigableMap<Instant, Instant> periods = new TreeMap<>();
        for (final Instant at : observations.keySet()) {
            LocalDate first = firstDay(at.atZone(zone).toLocalDate(), granularity);
            while (first.atStartOfDay(zone).toInstant().isBefore(at.plus(maxGap))) {
                final LocalDate next = granularity == Granularity.DAY ? first.plusDays(1) : first.plusMonths(1);
                periods.put(first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant());
                first = next;
            }
        }
        return periods;
    }

    private static LocalDate firstDay(final LocalDate date, final Granularity granularity) {
        return granularity == Granularity.DAY ? date : date.withDayOfMonth(1);
    }
}
