package io.usagepipeline.rating;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.runtime.BurstLog;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the rater priced, for the console, one line per month once a round of pricing is over: a month closing gives
 * its FINAL lines, a card changed before a restart the lines it restated and what that did to the month's totals.
 * Without it a rater restarted with a new card said nothing, and only the charges topic and files told what it had
 * changed. Shared by an instance's tasks (each prices its own tenants), so that a month is one line, not one a task.
 */
final class PricingLog {

    /**
     * The lines published without a price, WARNs: the first of each reason in full, then how many followed, once a
     * minute. A license type no card line matches is unpriced for every tenant that has it: a line each was a WARN
     * for each of a thousand tenants, every month (their UNPRICED alerts and the metric keep every one).
     */
    private final BurstLog<String> unpriced = new BurstLog<>("lines published unpriced", "reason");
    /** The lines priced since the last report, by month. */
    private final Map<String, Tally> months = new TreeMap<>();
    private long lastPricedMs;

    /** Notes a line handed to Kafka. */
    synchronized void priced(final ChargeLine line, final long nowMs) {
        months.computeIfAbsent(line.month(), month -> new Tally()).add(line);
        lastPricedMs = nowMs;
    }

    /** A line published without a price now: the WARN to log, if it is the first of its reason for a while. */
    List<String> unpriced(final String subject, final String reason, final long nowMs) {
        return unpriced.happened("UNPRICED, " + reason, "UNPRICED: " + subject + ": " + reason
                + "; it is published with amount 0 until a card line prices it", subject, nowMs);
    }

    /** The WARNs counting the unpriced lines that followed a first, once a minute. */
    List<String> unpricedDue(final long nowMs) {
        return unpriced.due(nowMs);
    }

    /** The WARNs counting the unpriced lines that followed a first and have not been told: the task is closing. */
    List<String> unpricedRest(final long nowMs) {
        return unpriced.rest(nowMs);
    }

    /** The months priced, once no task has priced a line for {@code quietMs}: the round is over. */
    synchronized List<String> reportIfQuiet(final long nowMs, final long quietMs) {
        return nowMs - lastPricedMs >= quietMs ? report() : List.of();
    }

    /** The months priced since the last report, one line each, oldest month first. */
    synchronized List<String> report() {
        final List<String> lines = months.entrySet().stream().map(month -> month.getValue().describe(month.getKey()))
                .toList();
        months.clear();
        return lines;
    }

    /** One month's lines of a round. */
    private static final class Tally {
        private final Set<String> tenants = new HashSet<>();
        private int finals;
        private int restated;
        private int unpriced;
        private BigDecimal totalsBefore = BigDecimal.ZERO;
        private BigDecimal totalsNow = BigDecimal.ZERO;
        private String currency = "";

        /** Counts every line, the TOTALs too, as the sink and the charge files do. */
        void add(final ChargeLine line) {
            tenants.add(line.tenantId());
            if (line.status() == RecordStatus.FINAL) {
                finals++;
            } else {
                restated++;
            }
            if (line.line().equals(ChargeLine.TOTAL)) {
                // a FINAL TOTAL's delta is its amount: the month was at nothing before
                totalsNow = totalsNow.add(line.amount());
                totalsBefore = totalsBefore.add(line.amount().subtract(line.delta()));
                currency = line.currency();
            } else if (!line.priced()) {
                unpriced++;
            }
        }

        String describe(final String month) {
            final StringBuilder text = new StringBuilder(month).append(": priced ")
                    .append(restated > 0 ? "again " : "").append("for ").append(count(tenants.size(), "tenant"))
                    .append(", ");
            if (finals > 0) {
                text.append(count(finals, "charge line")).append(" FINAL");
            }
            if (restated > 0) {
                text.append(finals > 0 ? " and " : "").append(count(restated, "charge line")).append(" RESTATED");
            }
            if (unpriced > 0) {
                text.append(" (").append(unpriced).append(" unpriced, at 0)");
            }
            final BigDecimal change = totalsNow.subtract(totalsBefore);
            text.append("; their TOTALs ");
            if (totalsBefore.signum() == 0 && restated == 0) {
                return text.append(totalsNow.toPlainString()).append(' ').append(currency).toString();
            }
            return text.append(totalsBefore.toPlainString()).append(" -> ").append(totalsNow.toPlainString())
                    .append(' ').append(currency).append(" (").append(change.signum() > 0 ? "+" : "")
                    .append(change.toPlainString()).append(')').toString();
        }

        private static String count(final int n, final String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }
}
