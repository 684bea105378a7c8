package io.usagepipeline.processor.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.usagepipeline.events.Json;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of one type of internal state: a format version byte, then the fields as its {@link StateWriter} wrote
 * them. It writes only the current version; a reader learns which version it reads from
 * {@link StateReader#version()}. A store that held JSON before (the first format, which starts with {@code '{'}) can
 * be given a reader for it: its changelog then restores as it was, and each value is rewritten in the binary format
 * the next time it changes (see the README's "Upgrading").
 */
public final class StateSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /**
     * The binary format written: 2 keeps a series' open periods in its own value. Format 1 (separate stores for the
     * open periods) is still read; JSON, the format before it, begins with '{' (123). Neither is written any more.
     */
    public static final int VERSION = 2;
    private static final int OLDEST_READ = 1;
    private static final byte JSON_START = '{';

    private final String type;
    private final BiConsumer<StateWriter, T> write;
    private final Function<StateReader, T> read;
    private final Function<byte[], T> readJson;
    /**
     * How many bytes the last value written took: the next writer starts with that much room, so a small value (a
     * history entry, a dedup mark) does not allocate and zero room for a series, and a value the size of the last
     * needs no copy. Values of a store are much alike in size. Shared by stream threads; a stale size only costs a
     * copy.
     */
    private volatile int lastSize = 64;

    private StateSerde(final String type, final BiConsumer<StateWriter, T> write, final Function<StateReader, T> read,
                       final Function<byte[], T> readJson) {
        this.type = type;
        this.write = write;
        this.read = read;
        this.readJson = readJson;
    }

    public static <T> StateSerde<T> of(final Class<T> type, final BiConsumer<StateWriter, T> write,
                                       final Function<StateReader, T> read) {
        return new StateSerde<>(type.getSimpleName(), write, read, null);
    }

    /**
     * The same, for a store whose values were JSON of {@code jsonType} before: those still read, through
     * {@code upgrade}.
     */
    public static <T, J> StateSerde<T> upgrading(final Class<T> type, final BiConsumer<StateWriter, T> write,
                                                 final Function<StateReader, T> read, final Class<J> jsonType,
                                                 final Function<J, T> upgrade) {
        final ObjectMapper mapper = Json.exactMapper();
        return new StateSerde<>(type.getSimpleName(), write, read, bytes -> {
            try {
                return upgrade.apply(mapper.readValue(bytes, jsonType));
            } catch (final IOException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + " from its JSON state: "
                        + e.getMessage(), e);
            }
        });
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        if (data == null) {
            return null;
        }
        final StateWriter writer = new StateWriter(VERSION, lastSize);
        write.accept(writer, data);
        final byte[] bytes = writer.toByteArray();
        lastSize = bytes.length;
        return bytes;
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == JSON_START && readJson != null) {
            return readJson.apply(data);
        }
        if (data.length == 0 || data[0] < OLDEST_READ || data[0] > VERSION) {
            throw new SerializationException("state of " + type + " in an unknown format (first byte "
                    + (data.length == 0 ? "none" : data[0]) + "); this processor reads formats " + OLDEST_READ
                    + " to " + VERSION + (readJson != null ? " and JSON" : ""));
        }
        final StateReader reader = new StateReader(data, data[0]);
        final T value;
        try {
            value = read.apply(reader);
        } catch (final BufferUnderflowException e) {
            throw StateReader.truncated(type, e);
        }
        if (!reader.atEnd()) {
            throw new SerializationException("state of " + type + " has bytes left over: not written by this format");
        }
        return value;
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
        // nothing to configure: the format is fixed
    }

    @Override
    public void close() {
        // nothing to release
    }
}
