package io.usagepipeline.processor.state;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes one state value: instants as epoch milliseconds, decimals as scale and unscaled value, every nullable field
 * behind a presence marker, numbers big-endian. Read back by {@link StateReader} in the same order. It writes into a
 * plain array rather than a DataOutputStream, whose synchronized ByteArrayOutputStream was a tenth of a replay's time.
 */
public final class StateWriter {

    private byte[] bytes;
    private int size;

    /** @param room the bytes the value is expected to take (it grows as needed) */
    StateWriter(final int version, final int room) {
        bytes = new byte[Math.max(room, 1)];
        put((byte) version);
    }

    public StateWriter string(final String value) {
        if (present(value)) {
            putSized(value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public StateWriter instant(final Instant value) {
        if (present(value)) {
            putLong(value.toEpochMilli());
        }
        return this;
    }

    /** A decimal exactly: its scale and its unscaled value, as a long when it fits (it nearly always does). */
    public StateWriter decimal(final BigDecimal value) {
        if (value == null) {
            put((byte) 0);
            return this;
        }
        final BigInteger unscaled = value.unscaledValue(); // a new BigInteger each time it is asked for
        if (unscaled.bitLength() < Long.SIZE) {
            put((byte) 1);
            putInt(value.scale());
            putLong(unscaled.longValue());
        } else {
            put((byte) 2);
            putInt(value.scale());
            putSized(unscaled.toByteArray());
        }
        return this;
    }

    public StateWriter uuid(final UUID value) {
        if (present(value)) {
            putLong(value.getMostSignificantBits());
            putLong(value.getLeastSignificantBits());
        }
        return this;
    }

    public StateWriter number(final long value) {
        putLong(value);
        return this;
    }

    /** Writes a boolean and returns it. */
    public boolean flag(final boolean value) {
        put((byte) (value ? 1 : 0));
        return value;
    }

    /** Whether a nested value follows; write it only when this is true. */
    public boolean present(final Object value) {
        return flag(value != null);
    }

    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Its length, then the bytes. */
    private void putSized(final byte[] value) {
        putInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    private void put(final byte value) {
        ensure(1);
        bytes[size++] = value;
    }

    private void putInt(final int value) {
        ensure(Integer.BYTES);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    private void putLong(final long value) {
        ensure(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    private void ensure(final int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
