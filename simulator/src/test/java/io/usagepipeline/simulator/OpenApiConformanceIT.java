package io.usagepipeline.simulator;

import static io.usagepipeline.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake must not drift from the real products: its AWS and Azure answers validate against the public OpenAPI
 * definitions of those products (extracts in test resources).
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class OpenApiConformanceIT {

    private static SimulatorServer server;
    private static SimClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SimulatorServer.start(SimulatorOptions.defaults(12, 3,
                new VirtualClock(Instant.parse("2026-04-02T08:00:00Z"), 1, Clock.systemUTC())));
        client = new SimClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAnswerAwsLicensedWorkloadsAsTheOpenApiDefinitionSays() throws Exception {
        final String token = client.login("/aws/acme/api/v1/token", server.credentials("aws/acme"),
                "x-api-version", "1.0-rev0").get("access_token").asText();
        final JsonNode page = json(client.get("/aws/acme" + AwsApi.WORKLOADS + "?Offset=0&Limit=5", token,
                "x-api-version", "1.0-rev0").body());

        assertThat(schema("/vb-aws-v1-licensing-openapi.json", "definitions", "LicensedWorkloadsPage")
                .validate(page)).isEmpty();
        assertThat(page.get("results")).isNotEmpty();
    }

    @Test
    void shouldAnswerAzureLicenseResourcesAsTheOpenApiDefinitionSays() throws Exception {
        // hooli's appliance speaks the documented dialect (string ids), which is what the definition describes
        final String token = client.login("/azure/hooli/api/oauth2/token", server.credentials("azure/hooli"))
                .get("access_token").asText();
        final JsonNode page = json(client.get("/azure/hooli" + AzureApi.RESOURCES + "?offset=0&limit=3", token)
                .body());

        assertThat(schema("/vb-azure-v8.1-licensing-openapi.json", "components/schemas", "PageOfLicensedResource")
                .validate(page)).isEmpty();
        assertThat(page.get("results")).isNotEmpty();
    }

    /** A JSON Schema (draft 4, as Swagger 2 and OpenAPI 3.0 use) pointing at one definition of the document. */
    private static JsonSchema schema(final String resource, final String definitions, final String name)
            throws Exception {
        final JsonNode document;
        try (InputStream in = OpenApiConformanceIT.class.getResourceAsStream(resource)) {
            document = SimResponse.JSON.readTree(in);
        }
        final ObjectNode root = (ObjectNode) document.deepCopy();
        root.put("$ref", "#/" + definitions + "/" + name);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }
}
