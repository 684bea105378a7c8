package io.usagepipeline.cli;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.events.KafkaProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Fails fast, in one line, when Kafka does not answer: a command's clients would otherwise retry quietly for a
 * minute or more and end in a stack trace that names a timeout, not the address.
 */
final class KafkaCheck {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    private KafkaCheck() {
    }

    /** Asks Kafka who it is; throws with the address and the fix when it does not answer within 10 s. */
    static void require(final PipelineConfig config) {
        final Optional<String> silent;
        try (KafkaProbe probe = new KafkaProbe(config.kafkaProperties(), WITHIN, Clock.systemUTC())) {
            silent = probe.askNow();
        }
        if (silent.isPresent()) {
            throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " did not answer within "
                    + WITHIN.toSeconds() + " s (" + silent.get() + "); check --bootstrap-servers "
                    + "(kafka.bootstrap.servers) and that the broker is running");
        }
    }
}
