package io.usagepipeline.processor;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Stream time from the raw record's timestamp ({@code polledAt}), except for a record stamped further ahead of this
 * machine's clock than {@code maxAhead}: stream time only moves forward, so one such record would close every open
 * period of its task at once and send the good polls after it to the DLQ as late. It keeps its partition's time
 * instead, and {@link RawPollProcessor} sends it to the DLQ.
 */
final class BoundedTimestampExtractor implements TimestampExtractor {

    private final long maxAheadMs;

    BoundedTimestampExtractor(final Duration maxAhead) {
        this.maxAheadMs = maxAhead.toMillis();
    }

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        if (record.timestamp() > System.currentTimeMillis() + maxAheadMs) {
            return Math.max(partitionTime, 0); // a partition's first record: 0 moves nothing either
        }
        return record.timestamp();
    }
}
