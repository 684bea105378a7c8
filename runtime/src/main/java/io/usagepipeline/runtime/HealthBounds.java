package io.usagepipeline.runtime;

import java.time.Duration;

/**
 * How long a service may be in trouble before {@code /health} says DOWN: short hiccups (a broker restart, a
 * rebalance) are normal and must not page anyone.
 *
 * @param unreachable how long Kafka (or a source, for the collector) may not answer
 * @param stalled     how long a service may make no progress while it has work (rebalancing, a batch not written)
 */
public record HealthBounds(Duration unreachable, Duration stalled) {

    public static final HealthBounds DEFAULTS = new HealthBounds(Duration.ofSeconds(10), Duration.ofMinutes(2));
}
