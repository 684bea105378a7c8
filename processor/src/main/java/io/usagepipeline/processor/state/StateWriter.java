package io.usagepipeline.processor.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes one state value: instants as epoch milliseconds, decimals as scale and unscaled value, every nullable field
 * behind a presence marker. Read back by {@link StateReader} in the same order.
 */
public final class StateWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    StateWriter(final int version) {
        writeByte(version);
    }

    public StateWriter string(final String value) {
        try {
            out.writeBoolean(value != null);
            if (value != null) {
                final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            return this;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StateWriter instant(final Instant value) {
        try {
            out.writeBoolean(value != null);
            if (value != null) {
                out.writeLong(value.toEpochMilli());
            }
            return this;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A decimal exactly: its scale and its unscaled value, as a long when it fits (it nearly always does). */
    public StateWriter decimal(final BigDecimal value) {
        try {
            if (value == null) {
                out.writeByte(0);
            } else if (value.unscaledValue().bitLength() < Long.SIZE) {
                out.writeByte(1);
                out.writeInt(value.scale());
                out.writeLong(value.unscaledValue().longValueExact());
            } else {
                final byte[] unscaled = value.unscaledValue().toByteArray();
                out.writeByte(2);
                out.writeInt(value.scale());
                out.writeInt(unscaled.length);
                out.write(unscaled);
            }
            return this;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StateWriter uuid(final UUID value) {
        try {
            out.writeBoolean(value != null);
            if (value != null) {
                out.writeLong(value.getMostSignificantBits());
                out.writeLong(value.getLeastSignificantBits());
            }
            return this;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StateWriter number(final long value) {
        try {
            out.writeLong(value);
            return this;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StateWriter flag(final boolean value) {
        try {
            out.writeBoolean(value);
            return this;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a nested value follows; write it only when this is true. */
    public boolean present(final Object value) {
        flag(value != null);
        return value != null;
    }

    private void writeByte(final int value) {
        try {
            out.writeByte(value);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
