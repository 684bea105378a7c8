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
 * @param inputRead    whether every record to price has been read: nothing is priced before. Always for the live
 *                     rater; a bounded run ({@link RaterReplay}) says so once it has read its input to the end, so
 *                     that a replay never prices a month half-read, however loaded the machine
 */
public record RatingRun(String inputPrefix, String outputPrefix, Predicate<YearMonth> months, Duration settle,
                        BooleanSupplier inputRead) {

    /** The live rater's settling time: the records of a month closing arrive within seconds of each other. */
    public static final Duration LIVE_SETTLE = Duration.ofSeconds(3);

    public static RatingRun live(final String prefix) {
        return new RatingRun(prefix, prefix, month -> true, LIVE_SETTLE, () -> true);
    }

    /**
     * The months from {@code first} to {@code last}, read under one prefix and written under another; as it is, it
     * settles like the live rater, and {@link RaterReplay} prices it once its input is read instead.
     */
    public static RatingRun replay(final String inputPrefix, final String outputPrefix, final YearMonth first,
                                   final YearMonth last) {
        return new RatingRun(inputPrefix, outputPrefix, month -> !month.isBefore(first) && !month.isAfter(last),
                LIVE_SETTLE, () -> true);
    }

    /** This run, pricing nothing until {@code inputRead} says every record is read, and then at once. */
    public RatingRun pricedOnceRead(final BooleanSupplier read) {
        return new RatingRun(inputPrefix, outputPrefix, months, Duration.ZERO, read);
    }
}
