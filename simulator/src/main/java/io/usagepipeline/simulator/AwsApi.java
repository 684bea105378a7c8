package io.usagepipeline.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Veeam Backup for AWS, REST v1: {@code GET /api/v1/licensing/licensedWorkloads} with {@code Offset}, {@code Limit},
 * {@code SearchPattern} and {@code Sort}; {@code x-api-version} required on every call, the token call included;
 * RFC 7807 problem bodies.
 */
final class AwsApi extends ApplianceApi {

    static final String WORKLOADS = "/api/v1/licensing/licensedWorkloads";

    AwsApi(final Fleet fleet, final Fleet.Appliance appliance, final Tokens tokens) {
        super(fleet, appliance, tokens);
    }

    @Override
    String tokenPath() {
        return "/api/v1/token";
    }

    @Override
    SimResponse precheck(final SimRequest request) {
        return request.header("x-api-version") == null
                ? error(400, "UnexpectedContent", "the x-api-version header is required") : null;
    }

    @Override
    SimResponse data(final SimRequest request, final Instant now, final boolean shifted) {
        if (!request.path().equals(WORKLOADS)) {
            return error(404, "NotFound", "no resource at " + request.path());
        }
        final int offset = intParam(request, "Offset", 0);
        final int limit = intParam(request, "Limit", -1);
        if (offset < 0 || limit < -1) {
            return error(400, "UnexpectedContent", "Offset must be >= 0 and Limit >= -1");
        }
        List<Map<String, Object>> items = workloads(now, shifted);
        final String search = request.param("SearchPattern");
        if (search != null && !search.isEmpty()) {
            final String needle = search.replace("*", "").toLowerCase(Locale.ROOT);
            items = items.stream().filter(item -> ((String) item.get("name")).toLowerCase(Locale.ROOT)
                    .contains(needle)).toList();
        }
        final String sort = request.param("Sort");
        if (sort != null) {
            final Comparator<Map<String, Object>> order = switch (sort) {
                case "nameAsc" -> Comparator.comparing(item -> (String) item.get("name"));
                case "nameDesc" -> Comparator.<Map<String, Object>, String>comparing(item -> (String) item.get("name"))
                        .reversed();
                case "lastBackupAsc" -> Comparator.comparing(item -> (String) item.get("lastBackupTime"));
                case "lastBackupDesc" -> Comparator.<Map<String, Object>, String>comparing(
                        item -> (String) item.get("lastBackupTime")).reversed();
                default -> null;
            };
            if (order == null) {
                return error(400, "UnexpectedContent", "unknown Sort value " + sort);
            }
            items = items.stream().sorted(order).toList();
        }
        final int from = Math.min(offset, items.size());
        final int to = limit == -1 ? items.size() : Math.min(items.size(), from + limit);
        final Map<String, Object> page = new LinkedHashMap<>();
        page.put("totalCount", items.size());
        page.put("results", items.subList(from, to));
        page.put("_links", List.of(Map.of("method", "GET", "rel", "self", "href",
                appliance.path() + WORKLOADS + "?Offset=" + offset + "&Limit=" + limit)));
        return SimResponse.json(200, page);
    }

    private List<Map<String, Object>> workloads(final Instant now, final boolean shifted) {
        final Fleet.Series series = fleet.seriesOf(appliance.kind() + "/" + appliance.tenant(), null).get(0);
        final List<String> names = new ArrayList<>();
        if (shifted) {
            names.add("aaa-arrived-during-the-crawl"); // at the front: every later item moves one place on
        }
        for (int i = 0; i < fleet.count(series, now); i++) {
            names.add("ec2-" + appliance.tenant() + "-" + String.format("%03d", i));
        }
        final List<Map<String, Object>> items = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            final String name = names.get(i);
            final Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", Fleet.uuid(series.key() + "/" + name).toString());
            item.put("name", name);
            item.put("lastBackupTime", now.truncatedTo(ChronoUnit.HOURS).minus(i % 24, ChronoUnit.HOURS).toString());
            item.put("_links", List.of());
            items.add(item);
        }
        return items;
    }

    @Override
    SimResponse error(final int status, final String code, final String message) {
        final Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://docs.veeam.com/errors/" + code);
        problem.put("title", code);
        problem.put("status", status);
        problem.put("errorCode", code);
        problem.put("details", message);
        return SimResponse.json(status, problem, "application/problem+json");
    }
}
