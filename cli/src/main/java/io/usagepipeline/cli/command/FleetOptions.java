package io.usagepipeline.cli.command;

import io.usagepipeline.runtime.config.ConfigException;
import picocli.CommandLine.Option;

/** Which simulated fleet: the same tenants and seed always give the same fleet and levels (demo, simulate). */
public final class FleetOptions {

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "12",
            description = "Tenants in the simulated fleet. Default: ${DEFAULT-VALUE}.")
    int tenants;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the fleet: the same seed gives the same fleet and levels. Default: "
                    + "${DEFAULT-VALUE}.")
    long seed;

    /** The number of tenants, checked. */
    int tenants() {
        if (tenants < 1) {
            throw new ConfigException("--tenants must be at least 1, not " + tenants);
        }
        return tenants;
    }

    long seed() {
        return seed;
    }
}
