package io.usagepipeline.cli.run;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.events.KafkaProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** What every long-running command gives its services beside their own settings: the Kafka probe, the close bound. */
public final class RunSettings {

    /** How long every service may take to stop. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often services ask Kafka whether it answers: well within the 15 s in which an outage must show. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private RunSettings() {
    }

    public static KafkaProbe probe(final PipelineConfig config) {
        return probe(config.kafkaProperties());
    }

    public static KafkaProbe probe(final Map<String, Object> kafka) {
        return new KafkaProbe(kafka, PROBE_EVERY, Clock.systemUTC());
    }
}
