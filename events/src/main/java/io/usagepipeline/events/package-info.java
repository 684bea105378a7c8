/**
 * The public, versioned wire contract of usage-pipeline: topic specs ({@link Topics}),
 * the event records, the JSON serde that keeps decimals exact, deterministic ids and key builders.
 * Collector, processor and sink share nothing but this package.
 */
package io.usagepipeline.events;
