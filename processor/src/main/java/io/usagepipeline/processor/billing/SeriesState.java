package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Observation;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the processor remembers of a series: who it belongs to, its latest level, and its periods still open.
 *
 * @param openPeriods the period keys of this series that have not closed yet
 */
public record SeriesState(String tenantId, String sourceId, SourceKind sourceKind, String licenseType, String unit,
                          Instant lastObservedAt, BigDecimal lastUnits, long lastCount, List<String> openPeriods) {

    public SeriesState {
        openPeriods = List.copyOf(openPeriods);
    }

    static SeriesState first(final Observation observation) {
        return new SeriesState(observation.tenantId(), observation.sourceId(), observation.sourceKind(),
                observation.licenseType(), observation.unit(), null, null, 0, List.of());
    }

    SeriesState observed(final Observation observation) {
        return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, observation.observedAt(),
                observation.units(), observation.count(), openPeriods);
    }

    SeriesState withOpenPeriods(final List<String> periodKeys) {
        return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, lastObservedAt, lastUnits,
                lastCount, periodKeys);
    }
}
