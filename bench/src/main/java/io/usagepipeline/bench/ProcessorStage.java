package io.usagepipeline.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor over every raw poll of a prefix under a profile, from start until it has read every poll and closed
 * (closing commits: under exactly-once, the moment every output is readable). Start-up, the first rebalance and
 * the last commit count: the baseline pays for its own.
 */
final class ProcessorStage {

    /** What the processor did and how long it took. */
    record Result(double seconds, long rawPolls, long observations, long openTotals) {
    }

    /** Longer than this without reading a poll is a stuck processor. */
    private static final Duration STALL = Duration.ofMinutes(5);

    private ProcessorStage() {
    }

    static Result run(final Admin admin, final String bootstrap, final String inputPrefix, final String outputPrefix,
                      final String applicationId, final Path stateDir, final Profile profile, final int threads,
                      final LongConsumer progress) throws Exception {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.systemUTC());
        final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin, List.of(Topics.RAW.name(inputPrefix)));
        final long total = ends.values().stream().mapToLong(Long::longValue).sum();
        final long started = System.nanoTime();
        final Properties streams = UsageProcessor.streamsConfig(applicationId, Map.of("bootstrap.servers", bootstrap),
                stateDir, profile);
        streams.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        final UsageProcessor processor = new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix(inputPrefix),
                metrics, streams, outputPrefix, profile);
        try {
            processor.start();
            long read = -1;
            long lastMove = System.nanoTime();
            while (metrics.rawPollsRead() < total) {
                final long now = metrics.rawPollsRead();
                if (now != read) {
                    read = now;
                    lastMove = System.nanoTime();
                }
                if (!processor.isHealthy() || System.nanoTime() - lastMove > STALL.toNanos()) {
                    throw new IllegalStateException("the processor stopped (" + processor.state() + ") after "
                            + now + " of " + total + " raw polls");
                }
                progress.accept(now);
                Thread.sleep(100); // the processor's own count is the signal: look again shortly
            }
        } finally {
            processor.close(); // commits what it read
        }
        if (new GroupProgress(admin, applicationId).remaining(ends) > 0) {
            throw new IllegalStateException("the processor did not commit the end of the raw topic when it closed");
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(seconds, total, (long) registry.counter("usage.processor.observations").count(),
                (long) registry.counter("usage.processor.open.totals").count());
    }
}
