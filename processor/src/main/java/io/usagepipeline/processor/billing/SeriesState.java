package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Observation;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.time.Instant;

/** What the processor remembers of a series: who it belongs to and its latest level. */
public record SeriesState(String tenantId, String sourceId, SourceKind sourceKind, String licenseType, String unit,
                          Instant lastObservedAt, BigDecimal lastUnits, long lastCount) {

    static SeriesState first(final Observation observation) {
        return new SeriesState(observation.tenantId(), observation.sourceId(), observation.sourceKind(),
                observation.licenseType(), observation.unit(), null, null, 0);
    }

    SeriesState observed(final Observation observation) {
        return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, observation.observedAt(),
                observation.units(), observation.count());
    }
}
