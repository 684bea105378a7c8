package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Decimals;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The published figures of a period, already rounded as the contract writes them, so that "did a figure change" is
 * asked of what consumers see.
 */
public record Figures(BigDecimal peakUnits, BigDecimal avgUnits, BigDecimal unitHours, BigDecimal lastUnits,
                      long peakCount, long lastCount, long samples, BigDecimal coverage, Instant firstObservedAt,
                      Instant lastObservedAt) {

    public Figures {
        peakUnits = Decimals.forOutput(peakUnits);
        avgUnits = Decimals.forOutput(avgUnits);
        unitHours = Decimals.forOutput(unitHours);
        lastUnits = Decimals.forOutput(lastUnits);
        coverage = Decimals.forOutput(coverage);
    }
}
