package io.usagepipeline.sink;

import io.usagepipeline.events.PeriodRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumed record with its position. {@code value} is null for a tombstone on the totals topic (the period
 * closed, so its rolling total is gone).
 */
public record PositionedRecord(TopicPartition source, long offset, String key, PeriodRecord value) {

    /** The offset to resume from after this record. */
    public long nextOffset() {
        return offset + 1;
    }
}
