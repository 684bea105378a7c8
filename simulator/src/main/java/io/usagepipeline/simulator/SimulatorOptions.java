package io.usagepipeline.simulator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the simulator.
 *
 * @param host          the address to listen on (loopback by default)
 * @param port          0 for a free one
 * @param tokenLifetime how long an access token lives (real time, as a collector measures it)
 * @param threads       request threads
 * @param seedFixture   serve the seed pages' example bodies instead of the fleet
 * @param tlsDir        where the self-signed certificate goes when serving HTTPS; null for plain HTTP
 */
public record SimulatorOptions(String host, int port, int tenants, long seed, Fleet.Dialect vacDialect,
                               Fleet.Dialect vspcDialect, Duration tokenLifetime, VirtualClock clock, int threads,
                               boolean seedFixture, Path tlsDir) {

    public static SimulatorOptions defaults(final int tenants, final long seed, final VirtualClock clock) {
        return new SimulatorOptions("localhost", 0, tenants, seed, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD,
                Duration.ofHours(1), clock, 8, false, null);
    }

    public SimulatorOptions withTokenLifetime(final Duration lifetime) {
        return new SimulatorOptions(host, port, tenants, seed, vacDialect, vspcDialect, lifetime, clock, threads,
                seedFixture, tlsDir);
    }

    /** Serve the seed pages' example bodies instead of the fleet (appliances aws/acme, azure/globex, vac, vspc). */
    public SimulatorOptions withSeedFixture() {
        return new SimulatorOptions(host, port, tenants, seed, vacDialect, vspcDialect, tokenLifetime, clock, threads,
                true, tlsDir);
    }

    /** Serve HTTPS with a self-signed certificate made at start; its PEM and SHA-256 are written to {@code dir}. */
    public SimulatorOptions withTls(final Path dir) {
        return new SimulatorOptions(host, port, tenants, seed, vacDialect, vspcDialect, tokenLifetime, clock, threads,
                seedFixture, dir);
    }
}
