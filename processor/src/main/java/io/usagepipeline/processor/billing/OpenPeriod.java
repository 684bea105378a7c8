package io.usagepipeline.processor.billing;

import java.time.Instant;

/** A period that has not closed: its series, and the instant of stream time after which it closes. */
public record OpenPeriod(String periodKey, String seriesKey, Instant dueAt) {
}
