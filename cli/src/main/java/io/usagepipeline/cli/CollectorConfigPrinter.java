package io.usagepipeline.cli;

import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the collector configuration (DESIGN §5 format) for a running simulator's fleet: one source per appliance,
 * the VAC tenants and VSPC companies mapped to their tenants, and every secret in a file of its own (mode 600),
 * referenced with {@code passwordFile}/{@code apiKeyFile}, so the printed YAML holds none.
 */
final class CollectorConfigPrinter {

    private CollectorConfigPrinter() {
    }

    static String print(final SimulatorServer simulator, final String bootstrapServers, final Path secretsDir)
            throws IOException {
        return print(simulator, simulator.baseUrl(), bootstrapServers, secretsDir);
    }

    /**
     * @param base the simulator's address as the collector reaches it (in a container network, not localhost)
     */
    static String print(final SimulatorServer simulator, final String base, final String bootstrapServers,
                        final Path secretsDir) throws IOException {
        Files.createDirectories(secretsDir);
        final Fleet fleet = simulator.fleet();
        final List<String> sources = new ArrayList<>();
        for (final Fleet.Appliance appliance : new TreeMap<>(fleet.appliances()).values()) {
            final String id = appliance.path().substring(1);
            final Credentials credentials = simulator.credentials(id);
            final String sourceId = id.replace('/', '-');
            switch (appliance.kind()) {
                case "aws" -> sources.add("    - { id: " + sourceId + ", kind: VBA_AWS, baseUrl: \"" + base
                        + appliance.path() + "\", apiVersion: 1.0-rev0, tenant: " + appliance.tenant()
                        + ",\n        auth: { username: " + credentials.username() + ", passwordFile: "
                        + secret(secretsDir, sourceId + ".password", credentials.password()) + " } }");
                case "azure" -> sources.add("    - { id: " + sourceId + ", kind: VBA_AZURE, baseUrl: \"" + base
                        + appliance.path() + "\", tenant: " + appliance.tenant()
                        + ",\n        auth: { username: " + credentials.username() + ", passwordFile: "
                        + secret(secretsDir, sourceId + ".password", credentials.password()) + " } }");
                case "vac" -> sources.add("    - { id: " + sourceId + ", kind: VAC, baseUrl: \"" + base
                        + appliance.path() + "\", tenants: " + inline(simulator.vacTenants())
                        + ",\n        auth: { username: \"" + credentials.username().replace("\\", "\\\\")
                        + "\", passwordFile: " + secret(secretsDir, sourceId + ".password", credentials.password())
                        + " } }");
                default -> sources.add("    - { id: " + sourceId + ", kind: VSPC, baseUrl: \"" + base
                        + appliance.path() + "\", companies: " + inline(simulator.vspcCompanies())
                        + ",\n        auth: { apiKeyFile: " + secret(secretsDir, sourceId + ".apikey",
                        credentials.apiKey()) + " } }");
            }
        }
        if (simulator.certificatePem() != null) {
            // the simulator's self-signed certificate, trusted explicitly: TLS stays verified
            final String tls = ",\n        tls: { truststore: \"" + simulator.certificatePem().toAbsolutePath() + "\" } }";
            sources.replaceAll(source -> source.substring(0, source.length() - 2) + tls);
        }
        return "# collector configuration for the simulator at " + base + " (" + fleet.tenants().size()
                + " tenants, seed " + fleet.seed() + ")\n"
                + "kafka: { bootstrap.servers: " + bootstrapServers + " }\n"
                + "collector:\n"
                + "  pollInterval: PT15M\n"
                + "  sources:\n"
                + String.join("\n", sources) + "\n";
    }

    /** A YAML flow mapping with quoted keys: {@code { "1": acme, "3": initech }}. */
    private static String inline(final Map<String, String> mapping) {
        final List<String> entries = new ArrayList<>();
        mapping.forEach((key, tenant) -> entries.add("\"" + key + "\": " + tenant));
        return "{ " + String.join(", ", entries) + " }";
    }

    private static String secret(final Path dir, final String name, final String value) throws IOException {
        final Path file = dir.resolve(name).toAbsolutePath();
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the directory's permissions
        }
        return "\"" + file + "\"";
    }
}
