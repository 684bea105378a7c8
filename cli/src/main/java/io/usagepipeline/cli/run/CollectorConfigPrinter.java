package io.usagepipeline.cli.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.usagepipeline.simulator.Credentials;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.SimulatorServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the collector configuration (DESIGN §5 format) for a running simulator's fleet: one source per appliance,
 * the VAC tenants and VSPC companies mapped to their tenants, and every secret in a file of its own (mode 600),
 * referenced with {@code passwordFile}/{@code apiKeyFile}, so the printed YAML holds none.
 */
public final class CollectorConfigPrinter {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private CollectorConfigPrinter() {
    }

    public static String print(final SimulatorServer simulator, final String bootstrapServers, final Path secretsDir)
            throws IOException {
        return print(simulator, simulator.baseUrl(), bootstrapServers, secretsDir);
    }

    /**
     * @param base the simulator's address as the collector reaches it (in a container network, not localhost)
     */
    public static String print(final SimulatorServer simulator, final String base, final String bootstrapServers,
                        final Path secretsDir) throws IOException {
        Files.createDirectories(secretsDir);
        final Fleet fleet = simulator.fleet();
        final ObjectNode root = YAML.createObjectNode();
        root.putObject("kafka").put("bootstrap.servers", bootstrapServers);
        final ObjectNode collector = root.putObject("collector");
        collector.put("pollInterval", "PT15M");
        final ArrayNode sources = collector.putArray("sources");
        for (final Fleet.Appliance appliance : new TreeMap<>(fleet.appliances()).values()) {
            final String id = appliance.path().substring(1);
            final Credentials credentials = simulator.credentials(id);
            final String sourceId = id.replace('/', '-');
            final ObjectNode source = sources.addObject().put("id", sourceId);
            final ObjectNode auth = YAML.createObjectNode();
            switch (appliance.kind()) {
                case "aws" -> source.put("kind", "VBA_AWS").put("baseUrl", base + appliance.path())
                        .put("apiVersion", "1.0-rev0").put("tenant", appliance.tenant());
                case "azure" -> source.put("kind", "VBA_AZURE").put("baseUrl", base + appliance.path())
                        .put("tenant", appliance.tenant());
                case "vac" -> source.put("kind", "VAC").put("baseUrl", base + appliance.path())
                        .set("tenants", YAML.valueToTree(simulator.vacTenants()));
                default -> {
                    final Map<String, String> companies = new TreeMap<>(simulator.vspcCompanies());
                    source.put("kind", "VSPC").put("baseUrl", base + appliance.path());
                    if (!simulator.seedFixture()) {
                        // VSPC names a company in its report, but gives only its UID in the usage per organization
                        companies.putAll(fleet.vspcOrganizations());
                        source.put("reports", true);
                    }
                    source.set("companies", YAML.valueToTree(companies));
                }
            }
            if (appliance.kind().equals("vspc")) {
                auth.put("apiKeyFile", secret(secretsDir, sourceId + ".apikey", credentials.apiKey()));
            } else {
                auth.put("username", credentials.username())
                        .put("passwordFile", secret(secretsDir, sourceId + ".password", credentials.password()));
            }
            source.set("auth", auth);
            if (simulator.certificatePem() != null) {
                // the simulator's self-signed certificate, trusted explicitly: TLS stays verified
                source.putObject("tls").put("truststore", simulator.certificatePem().toAbsolutePath().toString());
            }
        }
        // written by the YAML library, so that a ':' or '#' in a name or a path cannot change the document
        return "# collector configuration for the simulator at " + base + " (" + fleet.tenants().size()
                + " tenants, seed " + fleet.seed() + ")\n" + YAML.writeValueAsString(root);
    }

    private static String secret(final Path dir, final String name, final String value) throws IOException {
        final Path file = dir.resolve(name).toAbsolutePath();
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the directory's permissions
        }
        return file.toString();
    }
}
