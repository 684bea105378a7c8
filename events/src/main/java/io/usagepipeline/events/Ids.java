package io.usagepipeline.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic, name-based ids (RFC 4122 version 5, SHA-1) so that any system can recompute them:
 * {@code uuid5(NAMESPACE, name)} with {@link #NAMESPACE} = {@code uuid5(NAMESPACE_URL, "io.usagepipeline")}.
 */
public final class Ids {

    /** uuid5(NAMESPACE_URL, "io.usagepipeline"). */
    public static final UUID NAMESPACE = UUID.fromString("e39920e8-6203-5d05-a56c-5064ed859962");

    private Ids() {
    }

    /** The id of a poll: equal for every collector that polls the same target in the same slot. */
    public static UUID pollId(final String pollTarget, final Instant slotStart) {
        return nameBased(NAMESPACE, pollTarget + Keys.SEPARATOR + Instants.format(slotStart));
    }

    /** The id of one revision of one period record. */
    public static UUID recordId(final String periodKey, final int revision) {
        return nameBased(NAMESPACE, periodKey + Keys.SEPARATOR + revision);
    }

    /** The id of one revision of one charge line. */
    public static UUID chargeId(final String chargeKey, final int revision) {
        return nameBased(NAMESPACE, chargeKey + Keys.SEPARATOR + revision);
    }

    /** The id of one revision of one reconciliation line. */
    public static UUID reconciliationId(final String reconciliationKey, final int revision) {
        return nameBased(NAMESPACE, reconciliationKey + Keys.SEPARATOR + revision);
    }

    /** The id of one alert episode: the same on its start and its resolution. */
    public static UUID alertId(final AlertKind kind, final String subject, final Instant startedAt) {
        return nameBased(NAMESPACE, kind.name() + Keys.SEPARATOR + subject + Keys.SEPARATOR
                + Instants.format(startedAt));
    }

    /** RFC 4122 §4.3 name-based UUID, version 5. */
    public static UUID nameBased(final UUID namespace, final String name) {
        final MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        final byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        final ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
