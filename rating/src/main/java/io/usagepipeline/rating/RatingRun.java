package io.usagepipeline.rating;

import java.time.Duration;
import java.time.YearMonth;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What one run of the rater reads, writes and prices: the live rater every month under one prefix; a replay some
 * months, from one prefix into another.
 *
 * @param inputPrefix  the prefix of the billing records read
 * @param outputPrefix the prefix of the charges and alerts written
 * @param months       the months priced
 * @param settle       how long a month must have had no new record before it is priced: a live month closes
 *                     record by record, and its records arrive within seconds of each other
 * @param maxWait      how long after its last record a settled month still waits while the processor publishes
 *                     billing records or for the MONTH record of a series with days in it: a processor catching up
 *                     closes the month of one partition long before another's (zero: no waiting, for a run that has
 *                     read all there is)
 * @param inputRead    whether every record to price has been read: nothing is priced before. Always for the live
 *                     rater; a bounded run ({@link RaterReplay}) says so once it has read its input to the end, so
 *                     that a replay never prices a month half-read, however loaded the machine
 */
public record RatingRun(String inputPrefix, String outputPrefix, Predicate<YearMonth> months, Duration settle,
                        Duration maxWait, BooleanSupplier inputRead) {

    /** The live rater's settling time: the records of a month closing arrive within seconds of each other. */
    public static final Duration LIVE_SETTLE = Duration.ofSeconds(3);
    /**
     * How long the live rater waits for the rest of a month once some of it has closed: about as long as a processor
     * takes to work through a year's backlog of a large fleet, and short enough that a series whose month never closes
     * (its poll target's partition gets no more polls) delays the tenant's charges by an hour, with a WARN.
     */
    public static final Duration LIVE_MAX_WAIT = Duration.ofHours(1);

    public static RatingRun live(final String prefix) {
        return new RatingRun(prefix, prefix, month -> true, LIVE_SETTLE, LIVE_MAX_WAIT, () -> true);
    }

    /**
     * The months from {@code first} to {@code last}, read under one prefix and written under another; as it is, it
     * settles like the live rater, and {@link RaterReplay} prices it once its input is read instead.
     */
    public static RatingRun replay(final String inputPrefix, final String outputPrefix, final YearMonth first,
                                   final YearMonth last) {
        return new RatingRun(inputPrefix, outputPrefix, month -> !month.isBefore(first) && !month.isAfter(last),
                LIVE_SETTLE, LIVE_MAX_WAIT, () -> true);
    }

    /**
     * This run, pricing nothing until {@code inputRead} says every record is read, and then at once: a series that
     * has closed days but no MONTH record in what was read will not get one by waiting.
     */
    public RatingRun pricedOnceRead(final BooleanSupplier read) {
        return new RatingRun(inputPrefix, outputPrefix, months, Duration.ZERO, Duration.ZERO, read);
    }
}
