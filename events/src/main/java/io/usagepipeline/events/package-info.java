/**
 * The public, versioned wire contract of usage-pipeline: topic specs ({@link io.usagepipeline.events.Topics}),
 * the event records, the JSON serde that keeps decimals exact, deterministic ids and key builders.
 * Collector, processor and sink share nothing but this package.
 */
package io.usagepipeline.events;
