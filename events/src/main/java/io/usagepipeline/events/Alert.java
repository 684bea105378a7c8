package io.usagepipeline.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One alert on {@code usage.alerts.v1} (DESIGN §4d), keyed by {@link #alertKey()}: published once when an episode
 * starts ({@code resolvedAt} null) and once when it ends, both with the episode's {@code alertId}. Times are stream
 * times, so a replay gives the same alerts.
 *
 * @param alertId  {@link Ids#alertId} of the key and the start
 * @param subject  what the alert is about, e.g. {@code acme|2026-03|AWS_EC2_INSTANCE} for UNPRICED
 * @param detail   one line for people: what happened and what to do
 */
public record Alert(String schema, UUID alertId, AlertKind kind, String subject, String tenantId, Instant startedAt,
                    Instant resolvedAt, String detail) {

    public static final String SCHEMA = "usage.alerts.v1";

    public Alert {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The start of an episode. */
    public static Alert started(final AlertKind kind, final String subject, final String tenantId,
                                final Instant startedAt, final String detail) {
        return new Alert(null, Ids.alertId(kind, subject, startedAt), kind, subject, tenantId, startedAt, null,
                detail);
    }

    /** The end of this episode. */
    public Alert resolved(final Instant at, final String why) {
        return new Alert(schema, alertId, kind, subject, tenantId, startedAt, at, why);
    }

    /** The Kafka key: {@code kind|subject}. */
    public String alertKey() {
        return kind.name() + Keys.SEPARATOR + subject;
    }
}
