package io.usagepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * {@code --fixture seeds}: an appliance that answers with exactly the example bodies of the five Veeam documentation
 * pages the project was specified from (and their tenants: VAC tenant 2, VSPC companies Alpha and Beta), with the
 * product's own auth and errors. A request for the whole collection gets the example's text byte for byte (so
 * {@code 0.0} stays {@code 0.0}); a page request of a list slices the example's items and keeps its totals.
 */
final class SeedFixtureApi extends ApplianceApi {

    private final ApplianceApi product;
    /** An example body: its tree, to page, and its text, to send whole as the page shows it. */
    private record Seed(JsonNode tree, byte[] text) {
    }

    private final Map<String, Seed> bodies;

    private SeedFixtureApi(final ApplianceApi product, final Map<String, Seed> bodies) {
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
                    "/v2/tenants", new Seed(null, "[{\"id\":2,\"name\":\"Company 2\"}]"
                            .getBytes(StandardCharsets.UTF_8)),
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
        final Seed seed = bodies.get(request.path());
        if (seed == null) {
            return error(404, "NotFound", "no resource at " + request.path() + " in the seed fixture");
        }
        final JsonNode body = seed.tree();
        final String itemsField = body == null ? null : body.has("results") ? "results" : body.has("data") ? "data"
                : null;
        final int offset = Math.max(0, intParam(request, "offset", 0));
        final int limit = intParam(request, "limit", -1);
        if (itemsField == null || (offset == 0 && (limit < 0 || limit >= body.get(itemsField).size()))) {
            return SimResponse.jsonBytes(200, seed.text());
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

    private static Seed seed(final String name) {
        try (InputStream in = SeedFixtureApi.class.getResourceAsStream("/fixtures/seeds/" + name)) {
            if (in == null) {
                throw new IOException("no resource /fixtures/seeds/" + name);
            }
            final byte[] text = in.readAllBytes();
            return new Seed(SimResponse.JSON.readTree(text), text);
        } catch (final IOException e) {
            throw new UncheckedIOException("the seed fixture " + name + " is missing from the jar", e);
        }
    }
}
