package io.usagepipeline.report;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the statements of one month are made of, as the committed topics hold it.
 *
 * @param charges   the latest revision of every charge line of the month
 * @param records   the latest revision of every DAY and MONTH billing record of the month, by period key
 * @param revisions every revision of those records, by record id: the evidence of each restatement
 * @param alerts    the alerts whose episode was open at some time of the month (UTC's), or that name it, each once
 *                  in its latest state
 * @param reconciliation the latest revision of every reconciliation line of the month (Veeam's report against ours)
 * @param previous  the month before, which the index compares the month with
 */
public record MonthData(YearMonth month, List<ChargeLine> charges, Map<String, PeriodRecord> records,
                        Map<UUID, PeriodRecord> revisions, List<Alert> alerts, List<Reconciliation> reconciliation,
                        PreviousMonth previous) {

    /**
     * The month before, as the index compares with it.
     *
     * @param totals the latest revision of each tenant's TOTAL line
     * @param months the latest revision of every MONTH billing record: how much of the month was known
     */
    public record PreviousMonth(List<ChargeLine> totals, List<PeriodRecord> months) {

        /** A month before the first one priced. */
        public static final PreviousMonth NONE = new PreviousMonth(List.of(), List.of());
    }

    /** How far a billing zone's midnight lies from UTC's, at most (Kiritimati, UTC+14; Baker Island, UTC−12). */
    private static final Duration WIDEST_OFFSET = Duration.ofHours(14);

    /** Reads the month from the committed topics under {@code prefix}. */
    public static MonthData read(final Map<String, Object> kafka, final String prefix, final YearMonth month) {
        return read(kafka, prefix, month, (read, total) -> { });
    }

    /**
     * As {@link #read(Map, String, YearMonth)}, telling {@code billingRead} how far it has read the billing topic,
     * which holds every day of the history (the other topics hold a few lines a tenant and month).
     */
    public static MonthData read(final Map<String, Object> kafka, final String prefix, final YearMonth month,
                                 final CommittedRecords.Reading billingRead) {
        final List<ChargeLine> charges = new ArrayList<>(CommittedRecords.latest(kafka, Topics.CHARGES.name(prefix),
                Topics.CHARGES.valueSerde().deserializer(), ChargeLine::chargeKey, ChargeLine::revision).values());
        final YearMonth before = month.minusMonths(1);
        final List<ChargeLine> previousTotals = charges.stream().filter(line -> line.line().equals(ChargeLine.TOTAL)
                && line.month().equals(before.toString())).toList();
        charges.removeIf(line -> !line.month().equals(month.toString()));
        final Map<UUID, PeriodRecord> revisions = new HashMap<>();
        final String billing = Topics.BILLING_RECORDS.name(prefix);
        final Deserializer<PeriodRecord> decode = Topics.BILLING_RECORDS.valueSerde().deserializer();
        final Predicate<String> mayBeIn = mayBeIn(month);
        // of the month before, its MONTH records only (how much of it was known): its days are not decoded
        final String monthly = "|" + Granularity.MONTH.name() + "|";
        final Predicate<String> mayBeBefore = mayBeIn(before);
        final Predicate<String> mayBeMonthBefore = key -> key.contains(monthly) && mayBeBefore.test(key);
        final Map<String, PeriodRecord> monthsBefore = new HashMap<>();
        CommittedRecords.forEach(kafka, billing, new ByteArrayDeserializer(), record -> {
            // a year's topic holds twelve months of days: decoding only those whose key may fall in the month took
            // a report over 500,000 records (100 days) from 11.0 to 8.9 s
            if (record.value() != null && mayBeIn.test(record.key())) {
                final PeriodRecord value = decode.deserialize(billing, record.value());
                if (inMonth(value, month)) {
                    revisions.put(value.recordId(), value);
                }
            } else if (record.value() != null && mayBeMonthBefore.test(record.key())) {
                final PeriodRecord value = decode.deserialize(billing, record.value());
                if (value.granularity() == Granularity.MONTH && inMonth(value, before)) {
                    latest(monthsBefore, value);
                }
            }
        }, billingRead);
        final Map<String, PeriodRecord> records = new TreeMap<>();
        revisions.values().forEach(record -> latest(records, record));
        final List<Alert> alerts = ofMonth(CommittedRecords.values(kafka, Topics.ALERTS.name(prefix),
                Topics.ALERTS.valueSerde().deserializer()), month);
        final List<Reconciliation> reconciliation = new ArrayList<>(CommittedRecords.latest(kafka,
                Topics.RECONCILIATION.name(prefix), Topics.RECONCILIATION.valueSerde().deserializer(),
                Reconciliation::reconciliationKey, Reconciliation::revision).values());
        reconciliation.removeIf(line -> !line.month().equals(month.toString()));
        return new MonthData(month, List.copyOf(charges), records, revisions, List.copyOf(alerts),
                List.copyOf(reconciliation), new PreviousMonth(previousTotals, List.copyOf(monthsBefore.values())));
    }

    /**
     * The month's alerts among those published: each episode once, as it ended if it did, with what started it (the
     * topic holds its start and its end under one {@code alertId}, and a statement listed both, the episode "open"
     * beside itself resolved), and every episode open at some time of the month, in UTC as the alerts count days: one
     * that began the month before and went on (a series at zero since then) explains the month's figures as much as
     * one begun in it. In the order they started.
     */
    static List<Alert> ofMonth(final List<Alert> published, final YearMonth month) {
        final Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        final Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        final Map<UUID, Alert> starts = new LinkedHashMap<>();
        final Map<UUID, Alert> ends = new LinkedHashMap<>();
        for (final Alert alert : published) {
            if (alert != null) {
                (alert.resolvedAt() == null ? starts : ends).putIfAbsent(alert.alertId(), alert);
            }
        }
        final Map<UUID, Alert> episodes = new LinkedHashMap<>(starts);
        ends.forEach((id, alert) -> episodes.merge(id, alert, MonthData::ended));
        return episodes.values().stream().filter(alert -> alert.subject().contains("|" + month + "|")
                || alert.startedAt().isBefore(to) && (alert.resolvedAt() == null || alert.resolvedAt().isAfter(from)))
                .sorted(Comparator.comparing(Alert::startedAt).thenComparing(Alert::subject)).toList();
    }

    /**
     * An episode as it ended, with what started it: the end's detail says only why it ended ("above zero again: 41
     * instances"), the start's what happened ("at zero after 40 instances").
     */
    private static Alert ended(final Alert start, final Alert end) {
        final String detail = start.detail() == null || start.detail().equals(end.detail()) ? end.detail()
                : start.detail() + "; ended: " + end.detail();
        return new Alert(end.schema(), end.alertId(), end.kind(), end.subject(), end.tenantId(), end.startedAt(),
                end.resolvedAt(), detail);
    }

    private static void latest(final Map<String, PeriodRecord> byPeriod, final PeriodRecord record) {
        byPeriod.merge(record.periodKey(), record, (held, next) -> next.revision() > held.revision() ? next : held);
    }

    /**
     * Whether a billing record's key ({@code seriesKey|granularity|periodStart}, the contract's) may name a period of
     * the month in some billing zone: its start within 14 hours of the month's, UTC's, as zones lie. A key of
     * another form is decoded to be sure.
     */
    static Predicate<String> mayBeIn(final YearMonth month) {
        final Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().minus(WIDEST_OFFSET);
        final Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(WIDEST_OFFSET);
        return key -> {
            final Instant start;
            try {
                start = Instants.parse(key.substring(key.lastIndexOf('|') + 1));
            } catch (final RuntimeException e) {
                return true;
            }
            return !start.isBefore(from) && start.isBefore(to);
        };
    }

    /** True for a DAY or MONTH record whose period starts in the month, in its billing zone. */
    static boolean inMonth(final PeriodRecord record, final YearMonth month) {
        return (record.granularity() == Granularity.DAY || record.granularity() == Granularity.MONTH)
                && YearMonth.from(record.periodStart().atZone(ZoneId.of(record.zone()))).equals(month);
    }
}
