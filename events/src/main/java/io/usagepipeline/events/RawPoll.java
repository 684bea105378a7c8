package io.usagepipeline.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One poll of one poll target, as published to {@code usage.raw.v1}; the record timestamp is {@code polledAt}.
 *
 * @param pollId    {@link Ids#pollId(String, Instant)} of the poll target and slot: equal for every collector
 *                  that polls the same slot, so duplicates can be dropped downstream
 * @param scope     the VAC tenant id for VAC endpoints, else {@code "-"}
 * @param tenantId  the billing tenant when the source has exactly one (AWS, Azure), else null
 * @param pages     every response body as received, in request order; the collector writes each exactly as the
 *                  server sent it ({@link Json#verbatim}), so {@code 0.0} stays {@code 0.0} on the topic
 * @param itemCount the number of items across all pages (for COMPLETE, equal to the total the server reported)
 * @param tenantMap the vendor key (VAC tenant id, VSPC company) → tenant mapping the collector held when it polled;
 *                  null in polls written before the field existed, whose readers fall back to their own mapping
 */
public record RawPoll(
        String schema,
        UUID pollId,
        String sourceId,
        SourceKind sourceKind,
        Endpoint endpoint,
        String scope,
        String tenantId,
        Instant slotStart,
        Instant polledAt,
        PollStatus status,
        PollError error,
        List<JsonNode> pages,
        int itemCount,
        Map<String, String> tenantMap) {

    public static final String SCHEMA = "usage.raw.v1";
    /** The scope of endpoints that are not per tenant. */
    public static final String NO_SCOPE = "-";

    public RawPoll {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(pollId, "pollId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(endpoint, "endpoint");
        scope = scope == null ? NO_SCOPE : scope;
        Objects.requireNonNull(slotStart, "slotStart");
        Objects.requireNonNull(polledAt, "polledAt");
        Objects.requireNonNull(status, "status");
        if (status == PollStatus.FAILED && error == null) {
            throw new IllegalArgumentException("a FAILED poll must say why (error is null)");
        }
        if (status == PollStatus.COMPLETE && error != null) {
            throw new IllegalArgumentException("a COMPLETE poll cannot carry an error");
        }
        pages = pages == null ? List.of() : List.copyOf(pages);
        tenantMap = tenantMap == null ? null : Collections.unmodifiableMap(new TreeMap<>(tenantMap));
    }

    /** The Kafka key: {@code sourceId/endpoint/scope}. */
    public String pollTarget() {
        return Keys.pollTarget(sourceId, endpoint, scope);
    }
}
