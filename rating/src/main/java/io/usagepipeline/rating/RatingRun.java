package io.usagepipeline.rating;

import java.time.Duration;
import java.time.YearMonth;
import java.util.function.Predicate;

/**
 * What one run of the rater reads, writes and prices: the live rater every month under one prefix; a replay some
 * months, from one prefix into another.
 *
 * @param inputPrefix  the prefix of the billing records read
 * @param outputPrefix the prefix of the charges and alerts written
 * @param months       the months priced
 * @param settle       how long a month must have had no new record before it is priced: a live month closes
 *                     record by record; a replay's records are all there already, but reach the rater through
 *                     its repartition at the pace of the machine, so a replay waits as long (without it, a loaded
 *                     machine priced a month half-read and then restated it)
 */
public record RatingRun(String inputPrefix, String outputPrefix, Predicate<YearMonth> months, Duration settle) {

    /** The live rater's settling time: the records of a month closing arrive within seconds of each other. */
    public static final Duration LIVE_SETTLE = Duration.ofSeconds(3);

    public static RatingRun live(final String prefix) {
        return new RatingRun(prefix, prefix, month -> true, LIVE_SETTLE);
    }

    /** The months from {@code first} to {@code last}, read under one prefix and written under another. */
    public static RatingRun replay(final String inputPrefix, final String outputPrefix, final YearMonth first,
                                   final YearMonth last) {
        return new RatingRun(inputPrefix, outputPrefix, month -> !month.isBefore(first) && !month.isAfter(last),
                LIVE_SETTLE);
    }
}
