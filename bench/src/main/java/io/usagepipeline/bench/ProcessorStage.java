package io.usagepipeline.bench;

import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.processor.Replay;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor over every raw poll of a prefix under a profile, from start until it has read every poll and closed
 * (closing commits: under exactly-once, the moment every output is readable). Start-up, the first rebalance and
 * the last commit count: the baseline pays for its own.
 */
final class ProcessorStage {

    /** Longer than this without reading a poll is a stuck processor. */
    private static final Duration STALL = Duration.ofMinutes(5);

    private ProcessorStage() {
    }

    static Replay.Result run(final Admin admin, final String bootstrap, final String inputPrefix,
                             final String outputPrefix, final String applicationId, final Path stateDir,
                             final Profile profile, final int threads, final LongConsumer progress) throws Exception {
        final Properties streams = UsageProcessor.streamsConfig(applicationId, Map.of("bootstrap.servers", bootstrap),
                stateDir, profile);
        streams.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        return Replay.of(admin, Topics.RAW.name(inputPrefix), Instant.EPOCH).run(
                ProcessorConfig.defaults().withTopicPrefix(inputPrefix), streams, outputPrefix, profile, progress,
                STALL);
    }
}
