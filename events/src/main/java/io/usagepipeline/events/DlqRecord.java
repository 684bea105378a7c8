package io.usagepipeline.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A record that could not be processed, as published to {@code usage.dlq.v1} under the key of the bad record.
 * Nothing is dropped silently: the payload travels with the reason so it can be inspected and replayed.
 *
 * @param reason    a stable category, see {@link DlqReason}
 * @param detail    a human-readable explanation
 * @param topic     where the bad record was read from
 * @param timestamp the bad record's timestamp
 * @param payload   the bad record's value, decoded as UTF-8
 */
public record DlqRecord(
        String schema,
        DlqReason reason,
        String detail,
        String topic,
        int partition,
        long offset,
        Instant timestamp,
        String payload) {

    public static final String SCHEMA = "usage.dlq.v1";

    public DlqRecord {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(topic, "topic");
    }
}
