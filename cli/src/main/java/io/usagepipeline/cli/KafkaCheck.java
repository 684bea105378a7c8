package io.usagepipeline.cli;

import io.usagepipeline.cli.config.PipelineConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Fails fast, in one line, when Kafka does not answer: a command's clients would otherwise retry quietly for a
 * minute or more and end in a stack trace that names a timeout, not the address.
 */
final class KafkaCheck {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    private KafkaCheck() {
    }

    /** Asks Kafka who it is; throws with the address and the fix when it does not answer within 10 s. */
    static void require(final PipelineConfig config) throws InterruptedException {
        final Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WITHIN.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WITHIN.toMillis());
        final Admin admin = Admin.create(props);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) WITHIN.toMillis())).clusterId()
                    .get(WITHIN.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " did not answer within "
                    + WITHIN.toSeconds() + " s (" + cause.getMessage() + "); check --bootstrap-servers "
                    + "(kafka.bootstrap.servers) and that the broker is running");
        } finally {
            admin.close(Duration.ZERO);
        }
    }
}
