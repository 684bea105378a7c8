package io.usagepipeline.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Veeam Availability Console, REST v2: {@code /v2/tenants} and each tenant's {@code licensing/backupServerUsage} and
 * {@code licensing/cloudConnectUsage}, bare arrays without paging; token at {@code /token}. The DOCUMENTED dialect
 * sends {@code *Instances} fields (VAC 2.x/3.x), FIELD the {@code *Units} + {@code unitType} of later builds. A type
 * with nothing to report is left out, as the product does.
 */
final class VacApi extends ApplianceApi {

    private static final Pattern USAGE = Pattern.compile("/v2/tenants/([^/]+)/licensing/(backupServerUsage|cloudConnectUsage)");

    VacApi(final Fleet fleet, final Fleet.Appliance appliance, final Tokens tokens) {
        super(fleet, appliance, tokens);
    }

    @Override
    String tokenPath() {
        return "/token";
    }

    @Override
    SimResponse data(final SimRequest request, final Instant now, final boolean shifted) {
        if (request.path().equals("/v2/tenants")) {
            final List<Map<String, Object>> tenants = new ArrayList<>();
            fleet.vacTenants().forEach((id, name) -> tenants.add(Map.of("id", Integer.parseInt(id), "name", name)));
            return SimResponse.json(200, tenants);
        }
        final Matcher matcher = USAGE.matcher(request.path());
        if (!matcher.matches()) {
            return error(404, "NotFound", "no resource at " + request.path());
        }
        final List<Fleet.Series> series = fleet.seriesOf("vac", matcher.group(1));
        if (series.isEmpty()) {
            return error(404, "NotFound", "no tenant " + matcher.group(1));
        }
        final boolean cloud = matcher.group(2).equals("cloudConnectUsage");
        final List<Map<String, Object>> usage = new ArrayList<>();
        for (final Fleet.Series s : series) {
            if (s.type().startsWith("CC_") != cloud || fleet.count(s, now) == 0) {
                continue;
            }
            usage.add(item(s.type(), fleet.snapshot(s, now)));
        }
        return SimResponse.json(200, usage);
    }

    private Map<String, Object> item(final String type, final Map<String, BigDecimal> figures) {
        final boolean units = appliance.dialect() == Fleet.Dialect.FIELD;
        final String suffix = units ? "Units" : "Instances";
        final Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", type);
        if (units) {
            item.put("unitType", "Instances");
        }
        item.put("rental" + suffix, figures.get("rentalUnits"));
        item.put("new" + suffix, figures.get("newUnits"));
        item.put("used" + suffix, figures.get("usedUnits"));
        item.put("rentalCount", figures.get("rentalCount").intValue());
        item.put("newCount", figures.get("newCount").intValue());
        item.put("usedCount", figures.get("usedCount").intValue());
        return item;
    }

    @Override
    SimResponse error(final int status, final String code, final String message) {
        // VAC v2 documents no error body; this is what its servers answer in practice
        return SimResponse.json(status, Map.of("message", message, "code", code));
    }
}
