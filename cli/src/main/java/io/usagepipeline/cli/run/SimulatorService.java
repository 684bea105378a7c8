package io.usagepipeline.cli.run;

import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.Service;
import io.usagepipeline.simulator.SimulatorServer;
import java.time.Duration;

/** The simulated fleet as a service (the simulator stands for an outside system and knows none of our code). */
public final class SimulatorService implements Service {

    private final SimulatorServer simulator;

    public SimulatorService(final SimulatorServer simulator) {
        this.simulator = simulator;
    }

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public void start() {
        // serving since SimulatorServer.start
    }

    @Override
    public Health health() {
        return Health.ready("SERVING");
    }

    @Override
    public void stop(final Duration timeout) {
        simulator.close();
    }
}
