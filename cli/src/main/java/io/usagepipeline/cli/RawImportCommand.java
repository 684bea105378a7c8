package io.usagepipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Topics;
import java.io.BufferedReader;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Publishes the raw polls of a file written by 'raw export' to usage.raw.v1, with their original "
                + "keys and timestamps, in file order, so the processor sees the same history.",
                "Re-importing the same polls is harmless: the processor drops duplicate pollIds."})
public final class RawImportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "A file written by 'raw export'.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none()));
        final String topic = Topics.RAW.name(config.get(Settings.TOPICS_PREFIX));
        final Map<String, Object> props = RawPublisher.producerConfig(config.kafkaProperties());
        final AtomicReference<Exception> failure = new AtomicReference<>();
        long lineNumber = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer());
             BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                final JsonNode record = Json.mapper().readTree(line);
                final byte[] value = record.path("value").isNull() ? null
                        : record.get("value").asText().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, null,
                        Instants.parse(record.get("timestamp").asText()).toEpochMilli(),
                        record.get("key").isNull() ? null : record.get("key").asText(), value), (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka did not take every raw poll: " + failure.get().getMessage(),
                    failure.get());
        }
        spec.commandLine().getOut().printf("imported %d lines of %s into %s%n", lineNumber, file, topic);
        return ExitCodes.OK;
    }
}
