package io.usagepipeline.cli.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.cli.GroupProgress;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * The processor over every raw poll of a prefix, from start to the moment its group has committed the end of the
 * raw topic (under exactly-once, the moment every output is readable). Start-up and the first rebalance count:
 * the baseline pays for its own.
 */
final class ProcessorStage {

    /** What the processor did and how long it took. */
    record Result(double seconds, long rawPolls, long observations, long openTotals) {
    }

    private ProcessorStage() {
    }

    static Result run(final Admin admin, final String bootstrap, final String inputPrefix, final String outputPrefix,
                      final String applicationId, final Path stateDir, final LongConsumer progress)
            throws Exception {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin, List.of(Topics.RAW.name(inputPrefix)));
        final long total = ends.values().stream().mapToLong(Long::longValue).sum();
        final GroupProgress group = new GroupProgress(admin, applicationId);
        final long started = System.nanoTime();
        try (UsageProcessor processor = new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix(inputPrefix),
                new ProcessorMetrics(registry, Clock.systemUTC()),
                UsageProcessor.streamsConfig(applicationId, Map.of("bootstrap.servers", bootstrap), stateDir),
                outputPrefix)) {
            processor.start();
            group.await(ends, 0, Duration.ofMinutes(5), remaining -> {
                if (!processor.isHealthy()) {
                    throw new IllegalStateException("the processor stopped (" + processor.state() + ")");
                }
                progress.accept(total - remaining);
            });
            final double seconds = (System.nanoTime() - started) / 1e9;
            return new Result(seconds, total, (long) registry.counter("usage.processor.observations").count(),
                    (long) registry.counter("usage.processor.open.totals").count());
        }
    }
}
