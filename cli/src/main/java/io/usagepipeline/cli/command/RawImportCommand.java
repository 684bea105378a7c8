package io.usagepipeline.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Progress;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Publishes the raw polls of a file written by 'raw export' to usage.raw.v1, with their original "
                + "keys and timestamps, in file order, so the processor sees the same history.",
                "Importing the same polls again changes no figure: the processor drops a duplicate pollId within "
                        + "its slot's grace, sends one older than its horizon to the DLQ as LATE_BEYOND_HORIZON, and "
                        + "a late copy in between changes nothing (README, 'Archiving raw history')."})
public final class RawImportCommand implements Callable<Integer> {

    /** How many raw polls between two updates of the progress line. */
    private static final int PROGRESS_EVERY = 1_000;

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "A file written by 'raw export'.")
    Path file;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    /** One line of an export file: key (may be null), timestamp, value (null for a tombstone). */
    private record ExportedRecord(String key, long timestamp, byte[] value) {

        static ExportedRecord parse(final String line) throws IOException {
            final JsonNode record = Json.mapper().readTree(line);
            if (!record.isObject() || !record.hasNonNull("timestamp") || !record.has("key") || !record.has("value")) {
                throw new IOException("expected {\"key\", \"timestamp\", \"value\"}");
            }
            final byte[] value = record.get("value").isNull() ? null
                    : record.get("value").asText().getBytes(StandardCharsets.UTF_8);
            try {
                return new ExportedRecord(record.get("key").isNull() ? null : record.get("key").asText(),
                        Instants.parse(record.get("timestamp").asText()).toEpochMilli(), value);
            } catch (final RuntimeException e) {
                throw new IOException("timestamp " + record.get("timestamp") + " is not an ISO-8601 instant", e);
            }
        }
    }

    /**
     * Reads the whole file once; a line that is not an exported record stops the import before it starts.
     *
     * @return the records it holds
     */
    private long validate(final PrintWriter console) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--file " + file + ": no such file; give one that 'raw export' wrote");
        }
        final Progress progress = new Progress(console, System.console() != null, Files.size(file));
        long records = 0;
        try (SeekableByteChannel bytes = Files.newByteChannel(file);
             BufferedReader in = new BufferedReader(Channels.newReader(bytes, StandardCharsets.UTF_8))) {
            long lineNumber = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    records++;
                    try {
                        ExportedRecord.parse(line);
                    } catch (final IOException e) {
                        throw new ConfigException("line " + lineNumber + " of " + file + " is not an exported raw "
                                + "record (" + e.getMessage().replace('\n', ' ') + "); nothing was imported");
                    }
                }
                if (lineNumber % PROGRESS_EVERY == 0) {
                    progress.update(bytes.position(), "checking " + file.getFileName() + ": "
                            + Progress.count(records) + " raw polls");
                }
            }
        } catch (final CharacterCodingException e) {
            // the reader decodes ahead of the lines it gives, so the line is not known
            throw new ConfigException(file + " is not UTF-8 text (" + e + "), as 'raw export' writes; nothing was "
                    + "imported");
        }
        progress.finish("checked " + file.getFileName() + ": " + Progress.count(records) + " raw polls");
        return records;
    }

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none()));
        final String topic = Topics.RAW.name(config.get(Settings.TOPICS_PREFIX));
        final Map<String, Object> props = RawPublisher.producerConfig(config.kafkaProperties());
        final PrintWriter console = spec.commandLine().getOut();
        // a bad line is found before anything is sent: an import is whole or nothing
        final long total = validate(console);
        // without it, the producer waited a minute for the topic's metadata before it failed
        KafkaCheck.require(config, config.get(Settings.TOPICS_PREFIX), Topics.RAW);
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Progress progress = new Progress(console, System.console() != null, total);
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer());
             BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                final ExportedRecord record = ExportedRecord.parse(line);
                producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value()),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
                if (++sent % PROGRESS_EVERY == 0) {
                    progress.update(sent, progress.of(sent, "raw polls sent"));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka did not take every raw poll: " + failure.get().getMessage(),
                    failure.get());
        }
        progress.finish(Progress.count(sent) + " raw polls sent");
        console.printf("imported %s raw polls from %s into %s%n", Progress.count(sent), file, topic);
        return ExitCodes.OK;
    }
}
