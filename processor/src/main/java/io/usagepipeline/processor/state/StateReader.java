package io.usagepipeline.processor.state;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;

/** Reads what a {@link StateWriter} wrote, field by field in the same order. */
public final class StateReader {

    private final ByteBuffer in;
    private final int version;

    /** Reads the fields after the version byte of {@code bytes}. */
    StateReader(final byte[] bytes, final int version) {
        this.in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        this.version = version;
    }

    /** The format version the value was written in: a type whose layout changed reads each one. */
    public int version() {
        return version;
    }

    /** Decoded straight from the value's bytes: a series is read for every observation, with ten strings or so. */
    public String string() {
        if (!flag()) {
            return null;
        }
        final int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        final String value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    public Instant instant() {
        return flag() ? Instant.ofEpochMilli(in.getLong()) : null;
    }

    public BigDecimal decimal() {
        final byte kind = in.get();
        return switch (kind) {
            case 0 -> null;
            case 1 -> {
                final int scale = in.getInt();
                yield BigDecimal.valueOf(in.getLong(), scale);
            }
            case 2 -> {
                final int scale = in.getInt();
                final byte[] unscaled = new byte[in.getInt()];
                in.get(unscaled);
                yield new BigDecimal(new BigInteger(unscaled), scale);
            }
            default -> throw new SerializationException("unknown decimal marker " + kind);
        };
    }

    public UUID uuid() {
        return flag() ? new UUID(in.getLong(), in.getLong()) : null;
    }

    public long number() {
        return in.getLong();
    }

    public boolean flag() {
        return in.get() != 0;
    }

    /** Whether every byte was read: a value with bytes left over was not written by this format. */
    boolean atEnd() {
        return !in.hasRemaining();
    }

    static SerializationException truncated(final String type, final BufferUnderflowException cause) {
        return new SerializationException("state of " + type + " ends early: not written by this format", cause);
    }
}
