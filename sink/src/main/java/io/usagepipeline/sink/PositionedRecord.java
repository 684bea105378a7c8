package io.usagepipeline.sink;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumed record with its position, holding at most one of: a period record (billing record or rolling total)
 * in {@code value}, a charge line in {@code charge}, an alert in {@code alert}, a reconciliation line in
 * {@code reconciliation}. All are null for a tombstone on the totals topic (the period closed, so its rolling total
 * is gone).
 */
public record PositionedRecord(TopicPartition source, long offset, String key, PeriodRecord value,
                               ChargeLine charge, Alert alert, Reconciliation reconciliation) {

    /** A record of the billing-records or totals topic. */
    public PositionedRecord(final TopicPartition source, final long offset, final String key,
                            final PeriodRecord value) {
        this(source, offset, key, value, null, null, null);
    }

    /** A record of the charges topic. */
    public static PositionedRecord ofCharge(final TopicPartition source, final long offset, final ChargeLine charge) {
        return new PositionedRecord(source, offset, charge.chargeKey(), null, charge, null, null);
    }

    /** A record of the alerts topic. */
    public static PositionedRecord ofAlert(final TopicPartition source, final long offset, final Alert alert) {
        return new PositionedRecord(source, offset, alert.alertKey(), null, null, alert, null);
    }

    /** A record of the reconciliation topic. */
    public static PositionedRecord ofReconciliation(final TopicPartition source, final long offset,
                                                    final Reconciliation line) {
        return new PositionedRecord(source, offset, line.reconciliationKey(), null, null, null, line);
    }

    /** Whichever record this holds, or null for a tombstone. */
    public Object payload() {
        return alert != null ? alert : charge != null ? charge : reconciliation != null ? reconciliation : value;
    }

    /** The offset to resume from after this record. */
    public long nextOffset() {
        return offset + 1;
    }
}
