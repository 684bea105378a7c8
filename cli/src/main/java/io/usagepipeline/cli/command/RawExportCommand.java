package io.usagepipeline.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Progress;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the raw polls of usage.raw.v1 (optionally only those polled in [--from, --to)) to a "
                + "JSON-lines file: {\"timestamp\", \"key\", \"value\"} per line, the value being the raw poll's "
                + "JSON text exactly as it is on the topic.",
                "Reads up to the end the topic had when the export started, then stops. The polls are written in the "
                        + "order of their times across partitions, each partition's own order kept."})
public final class RawExportCommand implements Callable<Integer> {

    private static final int PROGRESS_EVERY = 1_000;

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The JSON-lines file to write.")
    Path file;

    @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
            description = "First poll time to export (inclusive): an instant or a date (UTC).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Poll time to stop at (exclusive), in the same forms.")
    Instant to;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none()));
        final String topic = Topics.RAW.name(config.get(Settings.TOPICS_PREFIX));
        // a mistyped --prefix exported nothing and said so as if the topic were empty
        KafkaCheck.require(config, config.get(Settings.TOPICS_PREFIX), Topics.RAW);
        final Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final PrintWriter console = spec.commandLine().getOut();
        long written = 0;
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent()); // as the other commands do for their outputs
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
             BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            seekToStart(consumer, partitions);
            final Map<TopicPartition, Long> starts = new HashMap<>();
            partitions.forEach(partition -> starts.put(partition, consumer.position(partition)));
            final long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
            final Progress progress = new Progress(console, System.console() != null, total);
            // in time order across partitions: a poll target whose polls lie in two partitions, as after partitions
            // were added to the topic, is imported in the order it was polled (its newer polls first would make its
            // older ones late, and those beyond the horizon would be lost)
            final TimeOrderedReader<String, byte[]> reader = new TimeOrderedReader<>(consumer, ends);
            long emitted = 0;
            for (Optional<ConsumerRecord<String, byte[]>> next = reader.next(); next.isPresent();
                 next = reader.next()) {
                final ConsumerRecord<String, byte[]> record = next.get();
                if (inRange(record.timestamp())) {
                    final ObjectNode line = Json.mapper().createObjectNode();
                    line.put("timestamp", Instants.format(Instant.ofEpochMilli(record.timestamp())));
                    line.put("key", record.key());
                    // the raw poll's own text, as a JSON string: import gives back exactly these bytes, and a
                    // record that is not even JSON is kept too
                    line.put("value", record.value() == null ? null
                            : new String(record.value(), StandardCharsets.UTF_8));
                    out.write(Json.mapper().writeValueAsString(line));
                    out.newLine();
                    written++;
                }
                if (++emitted % PROGRESS_EVERY == 0) {
                    // offsets, not records: transaction markers take offsets too
                    progress.update(partitions.stream().mapToLong(p -> Math.min(consumer.position(p), ends.get(p))
                            - starts.get(p)).sum(), Progress.count(written) + " raw polls written");
                }
            }
            progress.finish("read to the end the topic had when the export started");
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        console.printf("exported %s raw polls from %s to %s%n", Progress.count(written), topic, file);
        return ExitCodes.OK;
    }

    private void seekToStart(final KafkaConsumer<String, byte[]> consumer, final List<TopicPartition> partitions) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        final Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(partitions.stream()
                .collect(Collectors.toMap(p -> p, p -> from.toEpochMilli())));
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        offsets.forEach((partition, offset) -> consumer.seek(partition, offset == null ? ends.get(partition)
                : offset.offset()));
    }

    private boolean inRange(final long timestamp) {
        return (from == null || timestamp >= from.toEpochMilli()) && (to == null || timestamp < to.toEpochMilli());
    }
}
