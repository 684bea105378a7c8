package io.usagepipeline.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.usagepipeline.cli.run.CollectorConfigPrinter;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.cli.run.SimulatorService;
import io.usagepipeline.runtime.Runner;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.simulator.Faults;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {
                "Serves fake Veeam licensing APIs (Backup for AWS, Backup for Microsoft Azure, Availability Console "
                        + "v2, Service Provider Console v3) for a deterministic fleet, until Ctrl-C.",
                "Appliances live under http://HOST:PORT/aws/<tenant>, /azure/<tenant>, /vac and /vspc; "
                        + "/_sim/fleet lists them, /_sim/truth?series=KEY&from=T1&to=T2 gives the exact level "
                        + "history of a series, POST /_sim/faults injects faults.",
                "/vspc also serves the usage per organization and Veeam's monthly license reports; POST /_sim/reports "
                        + "plants an adjusted count, an uncollected server or a foreign organization in them, and "
                        + "/_sim/truth?report=YYYY-MM lists the variances a reconciliation should find."})
public final class SimulateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8089",
            description = "Port to listen on (0: a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Virtual time at start, e.g. 2026-10-01T00:00:00Z. Default: now.")
    Instant start;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "Virtual seconds per real second. Default: ${DEFAULT-VALUE} (real time).")
    double speed;

    @Option(names = "--token-lifetime", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "Access-token lifetime (real time). Default: ${DEFAULT-VALUE}.")
    Duration tokenLifetime;

    @Option(names = "--vac-dialect", paramLabel = "DIALECT", defaultValue = "DOCUMENTED",
            description = "VAC answers: DOCUMENTED (*Instances) or FIELD (*Units + unitType). Default: ${DEFAULT-VALUE}.")
    Fleet.Dialect vacDialect;

    @Option(names = "--vspc-dialect", paramLabel = "DIALECT", defaultValue = "FIELD",
            description = "VSPC enums: DOCUMENTED (lower case) or FIELD (PascalCase). Default: ${DEFAULT-VALUE}.")
    Fleet.Dialect vspcDialect;

    @Option(names = "--faults", paramLabel = "FILE",
            description = "YAML list of faults: [{appliance: vspc, kind: THROTTLE, rate: 0.1, retryAfterSeconds: 5}]")
    Path faultsFile;

    @Option(names = "--fixture", paramLabel = "NAME",
            description = "'seeds': answer with exactly the example bodies of the five Veeam documentation pages "
                    + "(appliances /aws/acme, /azure/globex, /vac with tenant 2, /vspc with Alpha and Beta).")
    String fixture;

    @Option(names = "--tls", description = "Serve HTTPS with a self-signed certificate made at start.")
    boolean tls;

    @Option(names = "--tls-dir", paramLabel = "DIR", defaultValue = ".usage-pipeline/simulator-tls",
            description = "Where --tls writes simulator.pem and simulator.sha256. Default: ${DEFAULT-VALUE}.")
    Path tlsDir;

    @Option(names = "--print-config",
            description = "Once listening, print a collector config for this fleet (secrets go to files).")
    boolean printConfig;

    @Option(names = "--secrets-dir", paramLabel = "DIR", defaultValue = ".usage-pipeline/simulator-secrets",
            description = "Where --print-config writes the secrets. Default: ${DEFAULT-VALUE}.")
    Path secretsDir;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The address collectors reach the simulator at, for --print-config (e.g. "
                    + "http://simulator:8089 in a container network). Default: its own local address.")
    String publicUrl;

    @Option(names = "--print-config-to", paramLabel = "FILE",
            description = "Print the config to this file (written whole, then renamed) instead of standard "
                    + "output; --print-config is implied.")
    Path printConfigTo;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Kafka address written into the printed config. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (fixture != null && !fixture.equals("seeds")) {
            throw new ConfigException("--fixture knows only 'seeds', not '" + fixture + "'");
        }
        final VirtualClock clock = new VirtualClock(start == null ? Instant.now() : start, speed, Clock.systemUTC());
        final SimulatorServer simulator = SimulatorServer.start(new SimulatorOptions(host, port, fleet.tenants(),
                fleet.seed(), vacDialect, vspcDialect, tokenLifetime, clock, 8, fixture != null, tls ? tlsDir : null));
        if (simulator.certificatePem() != null) {
            LOG.info("serving HTTPS with a self-signed certificate: {} (SHA-256 {})", simulator.certificatePem(),
                    simulator.certificateSha256());
        }
        if (faultsFile != null) {
            loadFaults(simulator);
        }
        if (printConfig || printConfigTo != null) { // asked for a file, a user expects the file
            final String config = CollectorConfigPrinter.print(simulator,
                    publicUrl == null ? simulator.baseUrl() : publicUrl, bootstrapServers, secretsDir);
            if (printConfigTo == null) {
                spec.commandLine().getOut().print(config);
                spec.commandLine().getOut().flush();
            } else {
                // readers wait for the file: it must appear complete
                final Path temp = printConfigTo.resolveSibling(printConfigTo.getFileName() + ".tmp");
                Files.writeString(temp, config);
                Files.move(temp, printConfigTo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        LOG.info("simulating {} tenants at {} (virtual time {}, speed {}x); press Ctrl-C to stop", fleet.tenants(),
                simulator.baseUrl(), clock.instant(), speed);
        return Runner.run(List.of(new SimulatorService(simulator)), Runner.registry(), Runner.Endpoints.NONE,
                RunSettings.CLOSE_TIMEOUT);
    }

    private void loadFaults(final SimulatorServer simulator) {
        try {
            final JsonNode rules = new YAMLMapper().readTree(faultsFile.toFile());
            if (rules == null || !rules.isArray()) {
                throw new ConfigException(faultsFile + ": expected a list of faults");
            }
            for (int i = 0; i < rules.size(); i++) {
                try {
                    simulator.faults().add(new YAMLMapper().treeToValue(rules.get(i), Faults.Rule.class));
                } catch (final IOException | IllegalArgumentException e) {
                    throw new ConfigException(faultsFile + " [" + i + "]: " + e.getMessage());
                }
            }
            LOG.info("{} fault rules from {}", rules.size(), faultsFile);
        } catch (final IOException e) {
            throw new ConfigException("cannot read " + faultsFile + ": " + e.getMessage(), e);
        }
    }
}
