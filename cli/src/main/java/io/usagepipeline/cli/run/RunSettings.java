package io.usagepipeline.cli.run;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.Runner;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** What the runner of a long-running command takes from the configuration. */
public final class RunSettings {

    /** How long every service may take to stop. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often services ask Kafka whether it answers: well within the 15 s in which an outage must show. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private RunSettings() {
    }

    public static Runner.Endpoints endpoints(final PipelineConfig config) {
        return new Runner.Endpoints(config.get(Settings.HTTP_ADDRESS), config.get(Settings.HTTP_PORT));
    }

    public static HealthBounds bounds(final PipelineConfig config) {
        return new HealthBounds(config.get(Settings.HEALTH_UNREACHABLE_AFTER), config.get(Settings.HEALTH_STALLED_AFTER));
    }

    public static KafkaProbe probe(final PipelineConfig config) {
        return probe(config.kafkaProperties());
    }

    public static KafkaProbe probe(final Map<String, Object> kafka) {
        return new KafkaProbe(kafka, PROBE_EVERY, Clock.systemUTC());
    }
}
