package io.usagepipeline.report;

import io.usagepipeline.events.Decimals;
import io.usagepipeline.events.PeriodRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The day-by-day chart of one license type of one tenant's month, as SVG geometry for the template: a bar per day
 * for the peak, a line for the average, days not wholly known shaded (the darker, the less was known), restated days
 * marked. Several sources of one tenant add up, as they do on the charge line.
 */
final class DayChart {

    static final int WIDTH = 640;
    static final int HEIGHT = 200;
    private static final int LEFT = 48;
    private static final int TOP = 12;
    private static final int BOTTOM = 24;

    /**
     * What one day shows.
     *
     * @param knownHours the hours of the day in which the level was known (for several sources: the least known)
     */
    record Day(LocalDate date, BigDecimal peak, BigDecimal avg, BigDecimal coverage, BigDecimal knownHours,
               boolean restated) {
    }

    /** A bar: position, size and the tooltip a browser shows. */
    record Bar(String x, String y, String width, String height, String title) {
    }

    /** A shaded band over a day not wholly known. */
    record Gap(String x, String width, String opacity, String title) {
    }

    /** A mark over a restated day. */
    record Mark(String x, String y, String title) {
    }

    /** An axis label. */
    record Label(String x, String y, String text) {
    }

    final String licenseType;
    final String unit;
    final int width = WIDTH;
    final int height = HEIGHT;
    final String plotBottom = String.valueOf(HEIGHT - BOTTOM);
    final String plotLeft = String.valueOf(LEFT);
    final String plotRight = String.valueOf(WIDTH);
    final List<Bar> bars = new ArrayList<>();
    final List<Gap> gaps = new ArrayList<>();
    final List<Mark> restated = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();
    final String averageLine;
    /** The highest peak of the month, as the title says it: 0 for a month at nothing. */
    final String highest;
    /** The value the top of the plot stands for, as its axis says it: the highest peak, or 1 when that is 0. */
    final String scaleTop;
    final int knownDays;

    private DayChart(final String licenseType, final String unit, final YearMonth month,
                     final Map<LocalDate, Day> days) {
        this.licenseType = licenseType;
        this.unit = unit;
        final BigDecimal peak = days.values().stream().map(Day::peak).max(BigDecimal::compareTo)
                .orElse(BigDecimal.ZERO);
        // a month at nothing still needs a scale to draw its flat line on; its title must not read as usage
        final BigDecimal max = peak.signum() > 0 ? peak : BigDecimal.ONE;
        this.highest = Decimals.forOutput(peak).toPlainString();
        this.scaleTop = Decimals.forOutput(max).toPlainString();
        final double plotWidth = WIDTH - LEFT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        final double slot = plotWidth / month.lengthOfMonth();
        final StringBuilder average = new StringBuilder();
        int known = 0;
        for (int d = 1; d <= month.lengthOfMonth(); d++) {
            final LocalDate date = month.atDay(d);
            final double x = LEFT + (d - 1) * slot;
            final Day day = days.get(date);
            final BigDecimal coverage = day == null ? BigDecimal.ZERO : day.coverage();
            if (coverage.compareTo(BigDecimal.ONE) < 0) {
                gaps.add(new Gap(fmt(x), fmt(slot), fmt(0.12 + 0.3 * (1 - coverage.doubleValue())),
                        date + ": known " + percent(coverage) + " of the day"));
            }
            if (day != null) {
                known++;
                final double barHeight = plotHeight * day.peak().doubleValue() / max.doubleValue();
                bars.add(new Bar(fmt(x + slot * 0.15), fmt(TOP + plotHeight - barHeight), fmt(slot * 0.7),
                        fmt(barHeight), date + ": peak " + Decimals.forOutput(day.peak()).toPlainString()
                        + ", average " + Decimals.forOutput(day.avg()).toPlainString() + " " + unit + ", known "
                        + day.knownHours().setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " h"));
                final double avgY = TOP + plotHeight - plotHeight * day.avg().doubleValue() / max.doubleValue();
                average.append(average.length() == 0 ? "" : " ").append(fmt(x + slot / 2)).append(',')
                        .append(fmt(avgY));
                if (day.restated()) {
                    restated.add(new Mark(fmt(x + slot / 2), fmt(TOP + plotHeight - barHeight - 5),
                            date + ": restated after it closed"));
                }
            }
            if (d == 1 || d % 5 == 0) {
                labels.add(new Label(fmt(x + slot / 2), String.valueOf(HEIGHT - 6), String.valueOf(d)));
            }
        }
        this.averageLine = average.toString();
        this.knownDays = known;
    }

    /** The charts of a tenant's month, one per license type, from its DAY records. */
    static List<DayChart> of(final YearMonth month, final List<PeriodRecord> dayRecords) {
        final Map<String, Map<LocalDate, Day>> byType = new TreeMap<>();
        final Map<String, String> units = new TreeMap<>();
        for (final PeriodRecord record : dayRecords) {
            final LocalDate date = record.periodStart().atZone(ZoneId.of(record.zone())).toLocalDate();
            units.put(record.licenseType(), record.unit());
            final BigDecimal hours = BigDecimal.valueOf(Duration.between(record.periodStart(), record.periodEnd())
                    .toMinutes()).divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_EVEN);
            byType.computeIfAbsent(record.licenseType(), type -> new TreeMap<>()).merge(date,
                    new Day(date, record.peakUnits(), record.avgUnits(), record.coverage(),
                            record.coverage().multiply(hours), record.revision() > 1),
                    (a, b) -> new Day(date, a.peak().add(b.peak()), a.avg().add(b.avg()),
                            a.coverage().min(b.coverage()), a.knownHours().min(b.knownHours()),
                            a.restated() || b.restated()));
        }
        final List<DayChart> charts = new ArrayList<>();
        byType.forEach((type, days) -> charts.add(new DayChart(type, units.get(type), month, days)));
        return charts;
    }

    private static String percent(final BigDecimal share) {
        return share.multiply(BigDecimal.valueOf(100)).setScale(0, RoundingMode.HALF_EVEN).toPlainString() + " %";
    }

    private static String fmt(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
