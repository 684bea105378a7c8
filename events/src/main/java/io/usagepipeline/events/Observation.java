package io.usagepipeline.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The normalized level of one series at one poll, as published to {@code usage.observations.v1}.
 *
 * @param units  the billable quantity (may be fractional, e.g. 0.33 per workstation agent)
 * @param count  the number of objects behind {@code units}
 * @param extra  further per-endpoint figures (rental and new units, counts per licensed state, ...), sorted by name
 * @param absent true when the series was present in an earlier snapshot of its poll target and is missing from
 *               this one: a known zero, not a gap
 */
public record Observation(
        String schema,
        String seriesKey,
        String tenantId,
        String sourceId,
        SourceKind sourceKind,
        String licenseType,
        String unit,
        Instant observedAt,
        UUID pollId,
        BigDecimal units,
        long count,
        SortedMap<String, BigDecimal> extra,
        boolean absent) {

    public static final String SCHEMA = "usage.observations.v1";

    public Observation {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(seriesKey, "seriesKey");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(licenseType, "licenseType");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(pollId, "pollId");
        Objects.requireNonNull(units, "units");
        extra = extra == null ? new TreeMap<>() : new TreeMap<>(extra);
    }
}
