package io.usagepipeline.processor.alerts;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * When a level counts as a spike (DESIGN §4d): above {@code spikeFactor} times the series' peak of the day before, and
 * at least {@code spikeMinDelta} above it, so that 1 → 3 instances is not an alert but 40 → 120 is.
 */
public record AlertThresholds(BigDecimal spikeFactor, BigDecimal spikeMinDelta) {

    public static final AlertThresholds DEFAULTS = new AlertThresholds(new BigDecimal("2"), new BigDecimal("10"));

    public AlertThresholds {
        Objects.requireNonNull(spikeFactor, "spikeFactor");
        Objects.requireNonNull(spikeMinDelta, "spikeMinDelta");
        if (spikeFactor.compareTo(BigDecimal.ONE) <= 0) {
            throw new IllegalArgumentException("spikeFactor must be above 1, not " + spikeFactor);
        }
        if (spikeMinDelta.signum() < 0) {
            throw new IllegalArgumentException("spikeMinDelta must not be negative, not " + spikeMinDelta);
        }
    }

    /**
     * True when {@code level} is a spike over {@code previousDayPeak}. Nothing is a spike over a day at zero: a
     * series coming back is the end of a drop to zero, not a surge.
     */
    boolean spike(final BigDecimal level, final BigDecimal previousDayPeak) {
        return previousDayPeak.signum() > 0 && level.compareTo(previousDayPeak.multiply(spikeFactor)) > 0
                && level.subtract(previousDayPeak).compareTo(spikeMinDelta) >= 0;
    }
}
