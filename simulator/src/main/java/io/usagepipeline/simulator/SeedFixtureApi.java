package io.usagepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * {@code --fixture seeds}: an appliance that answers with exactly the example bodies of the five Veeam documentation
 * pages the project was specified from (and their tenants: VAC tenant 2, VSPC companies Alpha and Beta), with the
 * product's own auth and errors. A page request of a list slices the example's items and keeps its totals.
 */
final class SeedFixtureApi extends ApplianceApi {

    private final ApplianceApi product;
    private final Map<String, JsonNode> bodies;

    private SeedFixtureApi(final ApplianceApi product, final Map<String, JsonNode> bodies) {
        super(product.fleet, product.appliance, product.tokens);
        this.product = product;
        this.bodies = bodies;
    }

    /** The fixture answers of an appliance kind. */
    static SeedFixtureApi of(final ApplianceApi product) {
        return new SeedFixtureApi(product, switch (product.appliance.kind()) {
            case "aws" -> Map.of(AwsApi.WORKLOADS, seed("aws-licensedWorkloads.json"));
            case "azure" -> Map.of(AzureApi.RESOURCES, seed("azure-licenseResources.json"));
            case "vac" -> Map.of(
                    "/v2/tenants", SimResponse.JSON.createArrayNode().add(SimResponse.JSON.createObjectNode()
                            .put("id", 2).put("name", "Company 2")),
                    "/v2/tenants/2/licensing/backupServerUsage", seed("vac-backupServerUsage.json"),
                    "/v2/tenants/2/licensing/cloudConnectUsage", seed("vac-cloudConnectUsage.json"));
            default -> Map.of(VspcApi.SERVERS, seed("vspc-backupServers.json"));
        });
    }

    @Override
    String tokenPath() {
        return product.tokenPath();
    }

    @Override
    SimResponse precheck(final SimRequest request) {
        return product.precheck(request);
    }

    @Override
    SimResponse error(final int status, final String code, final String message) {
        return product.error(status, code, message);
    }

    @Override
    SimResponse data(final SimRequest request, final Instant now, final boolean shifted) {
        final JsonNode body = bodies.get(request.path());
        if (body == null) {
            return error(404, "NotFound", "no resource at " + request.path() + " in the seed fixture");
        }
        final String itemsField = body.has("results") ? "results" : body.has("data") ? "data" : null;
        final int offset = Math.max(0, intParam(request, "offset", 0));
        final int limit = intParam(request, "limit", -1);
        if (itemsField == null || (offset == 0 && (limit < 0 || limit >= body.get(itemsField).size()))) {
            return SimResponse.json(200, body);
        }
        final ObjectNode page = body.deepCopy();
        final ArrayNode items = page.putArray(itemsField);
        final JsonNode all = body.get(itemsField);
        for (int i = offset; i < all.size() && (limit < 0 || i < offset + limit); i++) {
            items.add(all.get(i));
        }
        if (page.has("meta")) {
            ((ObjectNode) page.get("meta").get("pagingInfo")).put("count", items.size()).put("offset", offset);
        }
        return SimResponse.json(200, page);
    }

    private static JsonNode seed(final String name) {
        try (InputStream in = SeedFixtureApi.class.getResourceAsStream("/fixtures/seeds/" + name)) {
            return SimResponse.JSON.readTree(in);
        } catch (final IOException e) {
            throw new UncheckedIOException("the seed fixture " + name + " is missing from the jar", e);
        }
    }
}
