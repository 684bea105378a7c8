package io.usagepipeline.embedded;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the integration-test classes of a JVM one shared Kafka, injected as a {@link KafkaBroker} parameter into
 * {@code @BeforeAll}, {@code @BeforeEach} and test methods, and stopped when the run ends:
 * <ul>
 *   <li>by default an {@link EmbeddedKafkaBroker} in this JVM;</li>
 *   <li>with {@code -Dkafka.broker=testcontainers}, an {@code apache/kafka:4.3.1} container (needs Docker);</li>
 *   <li>with {@code -Dkafka.bootstrap=HOST:PORT}, an external broker that is left running.</li>
 * </ul>
 * Tests sharing a broker use their own topics and application ids.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    public static final String BROKER_PROPERTY = "kafka.broker";
    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final String KEY = "broker";

    @Override
    public void beforeAll(final ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return shared(context).broker();
    }

    /**
     * One broker for every test class of the JVM (kept in the root store, closed when the run ends): starting a broker
     * costs seconds, and the classes sharing it already keep to topics, groups and application ids of their own.
     */
    private static BrokerHandle shared(final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> startBroker(),
                BrokerHandle.class);
    }

    private static BrokerHandle startBroker() {
        final String bootstrap = System.getProperty(BOOTSTRAP_PROPERTY, "").trim();
        if (!bootstrap.isEmpty()) {
            LOG.info("integration tests use the external Kafka at {}", bootstrap);
            return new BrokerHandle(() -> bootstrap, () -> { });
        }
        final String kind = System.getProperty(BROKER_PROPERTY, "").trim();
        if (kind.equalsIgnoreCase("testcontainers")) {
            final TestcontainersKafka container = TestcontainersKafka.start();
            return new BrokerHandle(container, container::close);
        }
        if (!kind.isEmpty() && !kind.equalsIgnoreCase("embedded")) {
            throw new IllegalArgumentException("-D" + BROKER_PROPERTY + " must be 'embedded' or 'testcontainers', not '"
                    + kind + "'");
        }
        // The tests' polls are stamped months before today, as in a replay: the broker deletes what its retention
        // covers every second, so that a test sees at once what a time stamp would lose.
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().retentionEvery(Duration.ofSeconds(1))
                .build().start();
        return new BrokerHandle(broker, broker::close);
    }

    /** Stored once per JVM; JUnit closes it when the whole run is done. */
    private record BrokerHandle(KafkaBroker broker, Runnable stopper) implements AutoCloseable {
        @Override
        public void close() {
            stopper.run();
        }
    }
}
