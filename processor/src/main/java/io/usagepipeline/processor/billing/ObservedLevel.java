package io.usagepipeline.processor.billing;

import java.math.BigDecimal;

/** One observation of a series as kept in the history store, keyed by series and time. */
public record ObservedLevel(BigDecimal units, long count) {
}
