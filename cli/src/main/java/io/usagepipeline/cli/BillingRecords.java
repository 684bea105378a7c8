package io.usagepipeline.cli;

import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Topics;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The latest revision of every billing record on a {@code billing.records.v1} topic ({@link CommittedRecords}). */
final class BillingRecords {

    private BillingRecords() {
    }

    /**
     * @param kafka  client properties (bootstrap, security)
     * @param topic  the billing topic to read
     * @param wanted which records to keep
     * @return by period key, sorted, the highest revision of each wanted record
     */
    static TreeMap<String, PeriodRecord> latest(final Map<String, Object> kafka, final String topic,
                                                final Predicate<PeriodRecord> wanted) {
        final TreeMap<String, PeriodRecord> latest = new TreeMap<>();
        CommittedRecords.forEach(kafka, topic, Topics.BILLING_RECORDS.valueSerde().deserializer(), record -> {
            final PeriodRecord value = record.value();
            if (value != null && wanted.test(value)) {
                latest.merge(record.key(), value, (a, b) -> b.revision() > a.revision() ? b : a);
            }
        });
        return latest;
    }
}
