package io.usagepipeline.rating.card;

import io.usagepipeline.events.PeriodRecord;
import java.math.BigDecimal;

/** Which figure of a month's billing record a line bills, or the points rule counts. */
public enum Basis {
    PEAK_UNITS,
    AVG_UNITS,
    LAST_UNITS,
    UNIT_HOURS,
    PEAK_COUNT,
    LAST_COUNT,
    /** The line's Veeam points under the points rule; not a figure of the record itself. */
    POINTS;

    /** The figure of one record; POINTS is computed by the rater, not read from a record. */
    public BigDecimal figure(final PeriodRecord record) {
        return switch (this) {
            case PEAK_UNITS -> record.peakUnits();
            case AVG_UNITS -> record.avgUnits();
            case LAST_UNITS -> record.lastUnits();
            case UNIT_HOURS -> record.unitHours();
            case PEAK_COUNT -> BigDecimal.valueOf(record.peakCount());
            case LAST_COUNT -> BigDecimal.valueOf(record.lastCount());
            case POINTS -> throw new IllegalStateException("points are counted by the points rule");
        };
    }

    /** What one unit of this figure is, given the unit of the records (e.g. {@code instances}). */
    public String unit(final String recordUnit) {
        return switch (this) {
            case PEAK_UNITS, AVG_UNITS, LAST_UNITS -> recordUnit;
            case UNIT_HOURS -> recordUnit + "-hours";
            case PEAK_COUNT, LAST_COUNT -> "objects";
            case POINTS -> "points";
        };
    }
}
