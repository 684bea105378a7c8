package io.usagepipeline.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Veeam Backup for Microsoft Azure, REST v1: {@code GET /api/v1/license/resources} with {@code offset} and
 * {@code limit} (default 30), {@code _links} as a dictionary, token at the unversioned {@code /api/oauth2/token};
 * ProblemDetails errors. The FIELD dialect sends numeric ids, as the v1 documentation example does.
 */
final class AzureApi extends ApplianceApi {

    static final String RESOURCES = "/api/v1/license/resources";
    private static final int DEFAULT_LIMIT = 30;

    AzureApi(final Fleet fleet, final Fleet.Appliance appliance, final Tokens tokens) {
        super(fleet, appliance, tokens);
    }

    @Override
    String tokenPath() {
        return "/api/oauth2/token";
    }

    @Override
    SimResponse data(final SimRequest request, final Instant now, final boolean shifted) {
        if (!request.path().equals(RESOURCES)) {
            return error(404, "NotFound", "no resource at " + request.path());
        }
        final int offset = intParam(request, "offset", 0);
        final int limit = intParam(request, "limit", DEFAULT_LIMIT);
        if (offset < 0 || limit < -1) {
            return error(400, "BadRequest", "offset must be >= 0 and limit >= -1");
        }
        final List<Map<String, Object>> items = resources(now, shifted);
        final int from = Math.min(offset, items.size());
        final int to = limit == -1 ? items.size() : Math.min(items.size(), from + limit);
        // absolute, as the product writes them
        final String origin = "http://" + request.header("host");
        final Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", origin + href(offset, limit)));
        links.put("first", Map.of("href", origin + href(0, limit)));
        if (to < items.size()) {
            links.put("next", Map.of("href", origin + href(to, limit)));
        }
        final Map<String, Object> page = new LinkedHashMap<>();
        page.put("offset", offset);
        page.put("limit", limit);
        page.put("totalCount", items.size());
        page.put("results", items.subList(from, to));
        page.put("_links", links);
        return SimResponse.json(200, page);
    }

    private String href(final int offset, final int limit) {
        return appliance.path() + RESOURCES + "?offset=" + offset + "&limit=" + limit;
    }

    private List<Map<String, Object>> resources(final Instant now, final boolean shifted) {
        final List<Map<String, Object>> items = new ArrayList<>();
        int number = 1;
        if (shifted) {
            items.add(resource(0, "arrived-during-the-crawl", "Virtual Machine", BigDecimal.ONE, now));
        }
        for (final Fleet.Series series : fleet.seriesOf("azure/" + appliance.tenant(), null)) {
            final int count = fleet.count(series, now);
            for (int i = 0; i < count; i++) {
                items.add(resource(number++, series.type().toLowerCase(Locale.ROOT).replace(' ', '-') + "-" + i,
                        series.type(), series.weight(), now));
            }
        }
        return items;
    }

    private Map<String, Object> resource(final int number, final String name, final String type, final BigDecimal cost,
                                         final Instant now) {
        final Map<String, Object> item = new LinkedHashMap<>();
        // the resource's id stays with it: numbered by position only in the numeric dialect, as in the docs example
        item.put("id", appliance.dialect() == Fleet.Dialect.FIELD ? (Object) number
                : Fleet.uuid(appliance.tenant() + "/" + name).toString());
        item.put("name", name);
        item.put("resourceType", type);
        item.put("licensedState", "Licensed");
        item.put("lastBackupTime", now.truncatedTo(ChronoUnit.HOURS).toString());
        item.put("cost", cost);
        return item;
    }

    @Override
    SimResponse error(final int status, final String code, final String message) {
        final Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://tools.ietf.org/html/rfc7231");
        problem.put("title", code);
        problem.put("status", status);
        problem.put("detail", message);
        return SimResponse.json(status, problem, "application/problem+json");
    }
}
