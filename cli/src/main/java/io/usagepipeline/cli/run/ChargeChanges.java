package io.usagepipeline.cli.run;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.RecordDifferences;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How a replay's charge lines that are priced otherwise read on the console: each such line with what changed on it,
 * then what they change in money, for each tenant and month with one (its TOTAL live and replayed, the change in
 * amount and in margin) and for each such month over all its tenants. A billing person deciding whether to restart
 * the rater with a new card needs those sums, and would otherwise add up the TOTAL lines of the list by hand; and a
 * new version of a card restates every line it covers, most at the price they had, which would bury the repriced
 * lines in the list: those are counted on one line instead.
 */
final class ChargeChanges {

    /** The charge line's field that names the version of the card that priced it. */
    private static final String CARD_VERSION = "cardVersion";
    private static final String ROW = "%-20s %-8s %14s %14s %12s %14s";
    private static final String ABSENT = "-";

    private ChargeChanges() {
    }

    /**
     * The console's lines after the headline.
     *
     * @param live        the live charge lines of the months compared, by charge key
     * @param replayed    the replay's, by charge key
     * @param differences the lines priced otherwise ({@link RecordDifferences#betweenCharges}), not empty
     */
    static List<String> describe(final Map<String, ChargeLine> live, final Map<String, ChargeLine> replayed,
                                 final List<RecordDifferences.Difference> differences) {
        final List<String> lines = new ArrayList<>();
        final List<RecordDifferences.Difference> repriced = differences.stream()
                .filter(difference -> !difference.fields().equals(Set.of(CARD_VERSION))).toList();
        repriced.forEach(difference -> lines.add("  " + difference.key() + ": " + difference.description()));
        if (repriced.size() < differences.size()) {
            final int versionOnly = differences.size() - repriced.size();
            lines.add("  and " + versionOnly + (versionOnly == 1 ? " line whose" : " lines whose")
                    + " only change is the version of the card that prices it");
        }
        lines.add("");
        lines.addAll(table(live, replayed, differences.stream().map(RecordDifferences.Difference::key).toList()));
        return lines;
    }

    /** What the lines priced otherwise change in money, or one line saying why that cannot be worked out. */
    private static List<String> table(final Map<String, ChargeLine> live, final Map<String, ChargeLine> replayed,
                                      final Collection<String> changed) {
        final Set<String> currencies = Stream.concat(live.values().stream(), replayed.values().stream())
                .map(ChargeLine::currency).collect(Collectors.toCollection(TreeSet::new));
        if (currencies.size() > 1) {
            return List.of("No change in money is worked out: the live and the replayed lines are in different "
                    + "currencies (" + String.join(", ", currencies) + ").");
        }
        // tenant-months by month, so that each month's tenants come together and its sum after them
        final SortedMap<String, SortedSet<String>> tenantsByMonth = new TreeMap<>();
        for (final String key : changed) {
            final ChargeLine line = live.containsKey(key) ? live.get(key) : replayed.get(key);
            tenantsByMonth.computeIfAbsent(line.month(), month -> new TreeSet<>()).add(line.tenantId());
        }
        final List<String> rows = new ArrayList<>();
        rows.add("What the replay changes, per tenant and month (their TOTAL lines, in " + currencies.iterator().next()
                + "):");
        rows.add("");
        rows.add(ROW.formatted("tenant", "month", "live amount", "replay amount", "change", "margin change"));
        rows.add(ROW.formatted("-".repeat(20), "-".repeat(8), "-".repeat(14), "-".repeat(14), "-".repeat(12),
                "-".repeat(14)));
        tenantsByMonth.forEach((month, tenants) -> {
            for (final String tenant : tenants) {
                final String key = Keys.chargeKey(tenant, month, ChargeLine.TOTAL);
                rows.add(row(tenant, month, Totals.of(live.get(key)), Totals.of(replayed.get(key))));
            }
            rows.add(row("all tenants", month, Totals.ofMonth(live, month), Totals.ofMonth(replayed, month)));
        });
        return rows;
    }

    private static String row(final String tenant, final String month, final Totals live, final Totals replayed) {
        return ROW.formatted(tenant, month, live.show(), replayed.show(), change(live, replayed, Totals::amount),
                change(live, replayed, Totals::margin));
    }

    /**
     * Replayed less live, signed. A side with no TOTAL counts as 0 (a tenant-month only the other prices); a figure
     * unknown on either side leaves the change unknown rather than counting it as 0.
     */
    private static String change(final Totals live, final Totals replayed, final Function<Totals, BigDecimal> figure) {
        if (!live.present() && !replayed.present() || figure.apply(live) == null || figure.apply(replayed) == null) {
            return ABSENT;
        }
        final BigDecimal change = figure.apply(replayed).subtract(figure.apply(live));
        return (change.signum() > 0 ? "+" : "") + change.toPlainString();
    }

    /**
     * A tenant-month's TOTAL amount and margin, or their sums over a month's tenants; 0 where there is no TOTAL. A
     * margin is null where it is unknown (no {@code veeam.pricePerPoint}), and so is a sum with one unknown.
     */
    private record Totals(boolean present, BigDecimal amount, BigDecimal margin) {

        private static final Totals NONE = new Totals(false, BigDecimal.ZERO, BigDecimal.ZERO);

        static Totals of(final ChargeLine total) {
            return total == null ? NONE : new Totals(true, total.amount(), total.margin());
        }

        static Totals ofMonth(final Map<String, ChargeLine> lines, final String month) {
            final List<ChargeLine> totals = lines.values().stream().filter(line -> line.month().equals(month)
                    && line.line().equals(ChargeLine.TOTAL)).toList();
            if (totals.isEmpty()) {
                return NONE;
            }
            final boolean marginKnown = totals.stream().allMatch(total -> total.margin() != null);
            return new Totals(true, totals.stream().map(ChargeLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add),
                    marginKnown ? totals.stream().map(ChargeLine::margin).reduce(BigDecimal.ZERO, BigDecimal::add)
                            : null);
        }

        String show() {
            return present ? amount.toPlainString() : ABSENT;
        }
    }
}
