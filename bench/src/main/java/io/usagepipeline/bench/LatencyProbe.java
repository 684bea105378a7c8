package io.usagepipeline.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * End-to-end latency in real time: raw polls published as they happen (polledAt = now), and for every OPEN total
 * they cause, the time from its {@code asOf} (the poll's polledAt) until a {@code read_committed} consumer of
 * {@code usage.totals.v1} receives it. This is what a live billing dashboard waits for.
 */
final class LatencyProbe {

    /** Percentiles of the latencies, in milliseconds. */
    record Result(int polls, int totals, long p50Millis, long p99Millis, long maxMillis) {
    }

    private LatencyProbe() {
    }

    static Result run(final String bootstrap, final String prefix, final String applicationId, final Path stateDir,
                      final BenchDataset dataset, final int pollsPerSecond, final Duration length) throws Exception {
        final Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        try (UsageProcessor processor = new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix(prefix),
                new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig(applicationId, kafka, stateDir));
             KafkaConsumer<String, PeriodRecord> totals = totalsConsumer(bootstrap, Topics.TOTALS.name(prefix));
             RawPublisher publisher = new RawPublisher(kafka, prefix)) {
            processor.start();
            if (!processor.awaitRunning(Duration.ofMinutes(1))) {
                throw new IllegalStateException("the latency probe's processor did not start within a minute");
            }
            final List<Long> latencies = new ArrayList<>();
            final long pollGapNanos = 1_000_000_000L / pollsPerSecond;
            final long end = System.nanoTime() + length.toNanos();
            int polls = 0;
            long next = System.nanoTime();
            // each tenant's two polls go out together; tenants take turns, so every series sees a new level
            for (int tenant = 0; System.nanoTime() < end; tenant = (tenant + 1) % dataset.tenants()) {
                // a slot of its own per poll: polls of one target in one slot would be dropped as duplicates
                dataset.polls(tenant, Instant.now(), Duration.ZERO).forEach(publisher::publish);
                polls += 2;
                next += 2 * pollGapNanos;
                drain(totals, latencies, Duration.ZERO);
                final long wait = next - System.nanoTime();
                if (wait > 0) {
                    drain(totals, latencies, Duration.ofNanos(wait)); // pacing the publisher to pollsPerSecond
                }
            }
            publisher.flush();
            final long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < settle) {
                drain(totals, latencies, Duration.ofMillis(100));
            }
            Collections.sort(latencies);
            return new Result(polls, latencies.size(), percentile(latencies, 0.50), percentile(latencies, 0.99),
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
        }
    }

    private static KafkaConsumer<String, PeriodRecord> totalsConsumer(final String bootstrap, final String topic) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final KafkaConsumer<String, PeriodRecord> consumer = new KafkaConsumer<>(props,
                Topics.TOTALS.keySerde().deserializer(), Topics.TOTALS.valueSerde().deserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the positions now, before anything is published
        return consumer;
    }

    private static void drain(final KafkaConsumer<String, PeriodRecord> consumer, final List<Long> latencies,
                              final Duration wait) {
        for (final ConsumerRecord<String, PeriodRecord> record : consumer.poll(wait)) {
            if (record.value() != null) {
                latencies.add(System.currentTimeMillis() - record.value().asOf().toEpochMilli());
            }
        }
    }

    private static long percentile(final List<Long> sorted, final double quantile) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1));
    }
}
