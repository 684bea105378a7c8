package io.usagepipeline.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The billing records on a {@code billing.records.v1} topic as a compacted topic keeps them ({@link CommittedRecords}). */
public final class BillingRecords {

    /**
     * @param latest    by period key, sorted: the last record of each key, which is what compaction keeps
     * @param conflicts two different records under one key and revision, as a misconfigured second processor would
     *                  write: one line each, which a reader of the compacted topic would never see
     */
    public record Compacted(TreeMap<String, PeriodRecord> latest, List<String> conflicts) {
    }

    private BillingRecords() {
    }

    /**
     * @param kafka  client properties (bootstrap, security)
     * @param topic  the billing topic to read
     * @param wanted which records to keep
     */
    public static Compacted compacted(final Map<String, Object> kafka, final String topic,
                               final Predicate<PeriodRecord> wanted) {
        final TreeMap<String, PeriodRecord> latest = new TreeMap<>();
        final Map<String, PeriodRecord> firstOfRevision = new HashMap<>();
        final List<String> conflicts = new ArrayList<>();
        CommittedRecords.forEach(kafka, topic, Topics.BILLING_RECORDS.valueSerde().deserializer(), record -> {
            final PeriodRecord value = record.value();
            if (value == null) {
                latest.remove(record.key());
            } else if (wanted.test(value)) {
                latest.put(record.key(), value);
                final PeriodRecord first = firstOfRevision.putIfAbsent(record.key() + "|r" + value.revision(), value);
                final String fields = first == null ? "" : RecordDifferences.differingFields(first, value);
                if (!fields.isEmpty()) {
                    conflicts.add(record.key() + " revision " + value.revision() + " (offset " + record.offset()
                            + " of partition " + record.partition() + "): " + fields);
                }
            }
        });
        return new Compacted(latest, conflicts);
    }

    /** By period key, sorted, the record of each wanted key that the compacted topic keeps. */
    public static TreeMap<String, PeriodRecord> latest(final Map<String, Object> kafka, final String topic,
                                                final Predicate<PeriodRecord> wanted) {
        return compacted(kafka, topic, wanted).latest();
    }
}
