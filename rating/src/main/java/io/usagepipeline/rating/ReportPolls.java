package io.usagepipeline.rating;

import io.usagepipeline.events.VendorReportLine;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns the report lines a task reads into one {@link ReportPolled} per poll of a report: a poll has a line per
 * organization and workload type (thousands, for a console of a thousand tenants), and each note goes to every
 * partition of the rater's repartition topic, where one is all that is needed. What it has forwarded is held in memory
 * only: after a restart it forwards a poll's note again, which the rater's store of polls takes as one it has.
 */
final class ReportPolls implements Processor<String, VendorReportLine, String, Object> {

    /** Per {@link ReportPolled#storeKey()}: the poll last forwarded. */
    private final Map<String, UUID> forwarded = new HashMap<>();
    private ProcessorContext<String, Object> context;

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, VendorReportLine> record) {
        final ReportPolled polled = ReportPolled.of(record.value());
        if (!Objects.equals(forwarded.put(polled.storeKey(), polled.pollId()), polled.pollId())) {
            context.forward(record.withKey(polled.storeKey()).withValue(polled));
        }
    }
}
