package io.usagepipeline.processor.billing;

import io.usagepipeline.events.PeriodRecord;

/** Where the aggregator's results go; the topology forwards them to their topics. */
public interface BillingOutput {

    /** A changed rolling total of an open period, for {@code usage.totals.v1}, under its period key. */
    void openTotal(String periodKey, PeriodRecord total);

    /** A FINAL or RESTATED record, for {@code billing.records.v1}. */
    void billingRecord(PeriodRecord record);

    /** The period closed: its rolling total is removed from the compacted totals topic. */
    void totalRemoved(String periodKey);
}
