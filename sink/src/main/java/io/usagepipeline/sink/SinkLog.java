package io.usagepipeline.sink;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the sink wrote, for the console: the billing records, charge lines, reconciliation lines and alerts each output
 * wrote since the last line, counted by kind and status with the periods they belong to. A burst (a day or a month
 * closing, a card restating a month) is told once it has been quiet for {@link #QUIET}; a backlog every {@link
 * #AT_MOST_EVERY}. Outputs that wrote the same share a line ("wrote to postgresql and files: ..."); one that had the
 * records already (a sink restarted after a crash between its outputs, a new output beside an old one) is not said
 * to have written them. The rolling totals, rewritten every second, are left out. Without it the sink said nothing
 * after its start line, whatever it wrote.
 */
final class SinkLog {

    static final Duration QUIET = Duration.ofSeconds(5);
    static final Duration AT_MOST_EVERY = Duration.ofMinutes(1);

    /**
     * Per output, in the order they first wrote, and per kind ("DAY records FINAL", "charge lines RESTATED", ...): how
     * many, and the periods they are of.
     */
    private final Map<String, Map<Kind, Tally>> outputs = new LinkedHashMap<>();
    /** Per output, the revisions it was given again and held already (see {@link #held}). */
    private final Map<String, Long> held = new LinkedHashMap<>();
    /** Whether a record has been noted since the last line: the first one starts the minute of a backlog. */
    private boolean noted;
    private long firstMs;
    private long lastMs;

    /** Notes the records {@code output} wrote. */
    void written(final String output, final List<PositionedRecord> records, final long nowMs) {
        final Map<Kind, Tally> kinds = outputs.computeIfAbsent(output, name -> new TreeMap<>());
        for (final PositionedRecord record : records) {
            final PeriodRecord billing = record.value();
            if (record.charge() != null) {
                add(kinds, new Kind(2, "charge lines " + record.charge().status()), record.charge().month(), nowMs);
            } else if (record.reconciliation() != null) {
                add(kinds, new Kind(3, "reconciliation lines"), record.reconciliation().month(), nowMs);
            } else if (record.alert() != null) {
                add(kinds, new Kind(4, "alerts"), null, nowMs);
            } else if (billing != null && billing.status() != RecordStatus.OPEN) {
                add(kinds, new Kind(billing.granularity().ordinal(), billing.granularity() + " records "
                        + billing.status()), period(billing), nowMs);
            }
        }
    }

    /**
     * Notes the revisions {@code output} was given again and held already, which it did not write twice: a processor
     * or rater that read its input again (its group's positions lost) publishes what it published before.
     */
    void held(final String output, final int records, final long nowMs) {
        if (records > 0) {
            noted(nowMs);
            held.merge(output, (long) records, Long::sum);
        }
    }

    /** The lines for what was written since the last, once they are due; none otherwise. */
    List<String> due(final long nowMs) {
        final boolean due = nowMs - lastMs >= QUIET.toMillis() || nowMs - firstMs >= AT_MOST_EVERY.toMillis();
        return due ? rest() : List.of();
    }

    /** The lines for what was written since the last, as the sink stops; none if nothing was. */
    List<String> rest() {
        final Map<String, List<String>> outputsByWhat = new LinkedHashMap<>();
        outputs.forEach((output, kinds) -> {
            if (!kinds.isEmpty()) {
                final List<String> parts = new ArrayList<>();
                kinds.forEach((kind, tally) -> parts.add(tally.describe(kind.label())));
                outputsByWhat.computeIfAbsent(String.join(", ", parts), what -> new ArrayList<>()).add(output);
            }
        });
        outputs.clear();
        noted = false;
        final List<String> lines = new ArrayList<>();
        outputsByWhat.forEach((what, names) -> lines.add("wrote to " + String.join(" and ", names) + ": " + what));
        final Map<Long, List<String>> outputsByHeld = new LinkedHashMap<>();
        held.forEach((output, count) -> outputsByHeld.computeIfAbsent(count, c -> new ArrayList<>()).add(output));
        outputsByHeld.forEach((count, names) -> lines.add(String.format(Locale.ROOT, "%,d %s published again, "
                + "held already by %s: not written twice", count, count == 1 ? "revision" : "revisions",
                String.join(" and ", names))));
        held.clear();
        return lines;
    }

    private void add(final Map<Kind, Tally> kinds, final Kind kind, final String period, final long nowMs) {
        noted(nowMs);
        kinds.computeIfAbsent(kind, k -> new Tally()).add(period);
    }

    /** Something to tell came at {@code nowMs}: it starts a burst, or makes the one going on last longer. */
    private void noted(final long nowMs) {
        if (!noted) {
            noted = true;
            firstMs = nowMs;
        }
        lastMs = nowMs;
    }

    /** The local date or month a billing record is of, in its billing zone: the file it lands in. */
    private static String period(final PeriodRecord record) {
        final ZonedDateTime start = record.periodStart().atZone(ZoneId.of(record.zone()));
        return record.granularity() == Granularity.DAY ? LocalDate.from(start).toString()
                : YearMonth.from(start).toString();
    }

    /**
     * A kind of record and its status, told in the order a period closes in: days, months, charge lines,
     * reconciliation lines, alerts.
     */
    private record Kind(int order, String label) implements Comparable<Kind> {
        @Override
        public int compareTo(final Kind other) {
            return Comparator.comparingInt(Kind::order).thenComparing(Kind::label).compare(this, other);
        }
    }

    private static final class Tally {
        private long count;
        private final TreeSet<String> periods = new TreeSet<>();

        void add(final String period) {
            count++;
            if (period != null) {
                periods.add(period);
            }
        }

        String describe(final String kind) {
            final String counted = String.format(Locale.ROOT, "%,d %s", count, count == 1 ? singular(kind) : kind);
            if (periods.isEmpty()) {
                return counted;
            }
            return counted + " of " + periods.first() + (periods.size() == 1 ? "" : " to " + periods.last());
        }

        private static String singular(final String kind) {
            return kind.replace("records", "record").replace("lines", "line").replace("alerts", "alert");
        }
    }
}
