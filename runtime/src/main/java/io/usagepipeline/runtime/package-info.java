/**
 * What every long-running part shares: the {@link Service} lifecycle, and the
 * {@link Runner} that owns the one shutdown hook, {@code /metrics}, {@code /health},
 * {@code /ready}, the bounded close and the exit code. It knows no stage and no Kafka.
 */
package io.usagepipeline.runtime;
