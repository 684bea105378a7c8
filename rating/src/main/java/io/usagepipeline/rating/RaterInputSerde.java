package io.usagepipeline.rating;

import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Topics;
import io.usagepipeline.events.VendorReportLine;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The values of the rater's repartition topic: billing records and Veeam's report lines, each written as on its own
 * topic, and {@link ReportPolled}s, told apart by their {@code schema} field. Records written before report lines
 * shared the topic read as before.
 */
final class RaterInputSerde implements Serde<Object> {

    @Override
    public Serializer<Object> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            if (value instanceof PeriodRecord record) {
                return Topics.BILLING_RECORDS.valueSerde().serializer().serialize(topic, record);
            }
            if (value instanceof VendorReportLine line) {
                return Topics.REPORTS.valueSerde().serializer().serialize(topic, line);
            }
            if (value instanceof ReportPolled polled) {
                return ReportPolled.SERDE.serializer().serialize(topic, polled);
            }
            throw new SerializationException("the rater reads no " + value.getClass().getSimpleName());
        };
    }

    @Override
    public Deserializer<Object> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            final String schema;
            try {
                schema = Json.mapper().readTree(data).path("schema").asText();
            } catch (final IOException e) {
                throw new SerializationException("unreadable rater input on " + topic + ": " + e.getMessage(), e);
            }
            if (VendorReportLine.SCHEMA.equals(schema)) {
                return Topics.REPORTS.valueSerde().deserializer().deserialize(topic, data);
            }
            if (ReportPolled.SCHEMA.equals(schema)) {
                return ReportPolled.SERDE.deserializer().deserialize(topic, data);
            }
            return Topics.BILLING_RECORDS.valueSerde().deserializer().deserialize(topic, data);
        };
    }
}
