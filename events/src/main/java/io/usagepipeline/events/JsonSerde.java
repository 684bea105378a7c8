package io.usagepipeline.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one record type of the contract, through {@link Json#mapper()}.
 * Failures surface as {@link SerializationException} naming the type, so a bad record can be routed to the DLQ.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    /** Bound to the type once: the mapper's readValue and writeValueAsBytes resolved it again on every record. */
    private final ObjectReader reader;
    private final ObjectWriter writer;

    /** A serde for a published type: decimals rounded on output as the contract says. */
    public JsonSerde(final Class<T> type) {
        this(type, Json.mapper());
    }

    private JsonSerde(final Class<T> type, final ObjectMapper mapper) {
        this.type = type;
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
    }

    /** A serde for internal state that must round-trip exactly (see {@link Json#exactMapper()}). */
    public static <T> JsonSerde<T> exact(final Class<T> type) {
        return new JsonSerde<>(type, Json.exactMapper());
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (final IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " for topic " + topic, e);
        }
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return reader.readValue(data);
        } catch (final IOException | IllegalArgumentException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // nothing to configure: the contract fixes the JSON format
    }

    @Override
    public void close() {
        // stateless
    }
}
