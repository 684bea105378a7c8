package io.usagepipeline.cli.run;

import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.Service;
import java.time.Duration;

/** The in-process Kafka broker as a service (the broker module knows nothing of the runtime, so it is adapted here). */
public final class BrokerService implements Service {

    private final EmbeddedKafkaBroker broker;

    public BrokerService(final EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public void start() {
        if (!broker.isRunning()) {
            broker.start();
        }
    }

    @Override
    public Health health() {
        return broker.isRunning() ? Health.ready("RUNNING") : Health.down("STOPPED", "the broker has stopped");
    }

    @Override
    public void stop(final Duration timeout) {
        broker.close();
    }
}
