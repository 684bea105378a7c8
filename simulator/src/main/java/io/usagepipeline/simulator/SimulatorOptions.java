package io.usagepipeline.simulator;

import java.time.Duration;

/**
 * How to run the simulator.
 *
 * @param host          the address to listen on (loopback by default)
 * @param port          0 for a free one
 * @param tokenLifetime how long an access token lives (real time, as a collector measures it)
 * @param threads       request threads
 */
public record SimulatorOptions(String host, int port, int tenants, long seed, Fleet.Dialect vacDialect,
                               Fleet.Dialect vspcDialect, Duration tokenLifetime, VirtualClock clock, int threads) {

    public static SimulatorOptions defaults(final int tenants, final long seed, final VirtualClock clock) {
        return new SimulatorOptions("localhost", 0, tenants, seed, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD,
                Duration.ofHours(1), clock, 8);
    }

    public SimulatorOptions withPort(final int newPort) {
        return new SimulatorOptions(host, newPort, tenants, seed, vacDialect, vspcDialect, tokenLifetime, clock,
                threads);
    }

    public SimulatorOptions withDialects(final Fleet.Dialect vac, final Fleet.Dialect vspc) {
        return new SimulatorOptions(host, port, tenants, seed, vac, vspc, tokenLifetime, clock, threads);
    }

    public SimulatorOptions withTokenLifetime(final Duration lifetime) {
        return new SimulatorOptions(host, port, tenants, seed, vacDialect, vspcDialect, lifetime, clock, threads);
    }
}
