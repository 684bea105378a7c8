package io.usagepipeline.cli.run;

import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.Service;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

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

    /** Down once Kafka has stopped on a fatal fault: the broker would hang its clients from then on. */
    @Override
    public Health health() {
        final Optional<String> fault = broker.fatalFault();
        if (fault.isPresent()) {
            return Health.down("FAILED", fault.get() + "; restart the broker");
        }
        return broker.isRunning() ? Health.ready("RUNNING") : Health.down("STOPPED", "the broker has stopped");
    }

    /** Ends with exit code 1 on a fatal fault, as a Kafka process would: a supervisor then restarts it. */
    @Override
    public OptionalInt ended() {
        return broker.fatalFault().isPresent() ? OptionalInt.of(ExitCodes.FAILED) : OptionalInt.empty();
    }

    @Override
    public void stop(final Duration timeout) {
        broker.close();
    }
}
