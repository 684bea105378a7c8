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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the sink wrote, for the console: the billing records, charge lines, reconciliation lines and alerts of the
 * batches since the last line, counted by kind and status with the periods they belong to. A burst (a day or a month
 * closing, a card restating a month) is one line once it has been quiet for {@link #QUIET}; a backlog one line every
 * {@link #AT_MOST_EVERY}. The rolling totals, rewritten every second, are left out. Without it the sink said nothing
 * after its start line, whatever it wrote.
 */
final class SinkLog {

    static final Duration QUIET = Duration.ofSeconds(5);
    static final Duration AT_MOST_EVERY = Duration.ofMinutes(1);

    /** Per kind ("DAY records FINAL", "charge lines RESTATED", ...): how many, and the periods they are of. */
    private final Map<String, Tally> kinds = new TreeMap<>();
    private long firstMs;
    private long lastMs;

    /** Notes the records of a batch written to every output. */
    void written(final List<PositionedRecord> batch, final long nowMs) {
        for (final PositionedRecord record : batch) {
            if (record.charge() != null) {
                add("charge lines " + record.charge().status(), record.charge().month(), nowMs);
            } else if (record.reconciliation() != null) {
                add("reconciliation lines", record.reconciliation().month(), nowMs);
            } else if (record.alert() != null) {
                add("alerts", null, nowMs);
            } else if (record.value() != null && record.value().status() != RecordStatus.OPEN) {
                add(record.value().granularity() + " records " + record.value().status(), period(record.value()),
                        nowMs);
            }
        }
    }

    /** One line for what was written since the last, once it is due; empty otherwise. */
    Optional<String> due(final long nowMs, final String outputs) {
        final boolean due = nowMs - lastMs >= QUIET.toMillis() || nowMs - firstMs >= AT_MOST_EVERY.toMillis();
        return due ? rest(outputs) : Optional.empty();
    }

    /** One line for what was written since the last, as the sink stops; empty if nothing was. */
    Optional<String> rest(final String outputs) {
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        final List<String> parts = new ArrayList<>();
        kinds.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(SinkLog::kindOrder)
                        .thenComparing(Comparator.naturalOrder())))
                .forEach(kind -> parts.add(kind.getValue().describe(kind.getKey())));
        kinds.clear();
        return Optional.of("wrote to " + outputs + ": " + String.join(", ", parts));
    }

    private void add(final String kind, final String period, final long nowMs) {
        if (kinds.isEmpty()) {
            firstMs = nowMs;
        }
        lastMs = nowMs;
        kinds.computeIfAbsent(kind, k -> new Tally()).add(period);
    }

    /** The local date or month a billing record is of, in its billing zone: the file it lands in. */
    private static String period(final PeriodRecord record) {
        final ZonedDateTime start = record.periodStart().atZone(ZoneId.of(record.zone()));
        return record.granularity() == Granularity.DAY ? LocalDate.from(start).toString()
                : YearMonth.from(start).toString();
    }

    /** Days, then months, then charges, reconciliation and alerts: the order a period closes in. */
    private static int kindOrder(final String kind) {
        final List<String> order = List.of("DAY", "MONTH", "charge", "reconciliation", "alerts");
        for (int i = 0; i < order.size(); i++) {
            if (kind.startsWith(order.get(i))) {
                return i;
            }
        }
        return order.size();
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
