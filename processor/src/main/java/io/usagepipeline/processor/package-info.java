/**
 * The Kafka Streams topology: dedup, normalize, snapshot diff, period aggregates, closing and restatements, from
 * {@code usage.raw.v1} to {@code usage.observations.v1}, {@code usage.totals.v1} and {@code billing.records.v1}.
 * Shares nothing with collector or sink but the events contract.
 */
package io.usagepipeline.processor;
