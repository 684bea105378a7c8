/**
 * What every long-running part shares: the {@link io.usagepipeline.runtime.Service} lifecycle, and the
 * {@link io.usagepipeline.runtime.Runner} that owns the one shutdown hook, {@code /metrics}, {@code /health},
 * {@code /ready}, the bounded close and the exit code. It knows no stage and no Kafka.
 */
package io.usagepipeline.runtime;
