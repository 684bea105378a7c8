package io.usagepipeline.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Veeam Service Provider Console, REST v3: {@code GET /api/v3/licensing/backupServers} and
 * {@code /licensing/usage/organizations} with {@code limit} (default 100, at most 500) and {@code offset}, the
 * {@code meta.pagingInfo} envelope, the monthly license reports ({@code /licensing/reports/latest} and
 * {@code /licensing/reports/{generation date}}, {@link LicenseReports}), {@code {"errors":[...]}} bodies, HTTP 520 for
 * server errors, API keys as bearer tokens, and 202 + {@code Location} async answers. The DOCUMENTED dialect writes
 * enums in lower case as the documentation page does; FIELD in PascalCase as real servers do.
 *
 * <p>The report calls that change what Veeam bills (finalization, approval, settings) exist only to refuse: each
 * call is counted in {@link #forbiddenCalls()}, which a collector must leave empty.
 */
final class VspcApi extends ApplianceApi {

    static final String SERVERS = "/api/v3/licensing/backupServers";
    static final String ORGANIZATIONS = "/api/v3/licensing/usage/organizations";
    static final String REPORTS = "/api/v3/licensing/reports/";
    private static final String ASYNC = "/api/v3/asyncActions/";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    /** Async actions: id → the request to answer and how many more polls say "running". */
    private final Map<String, SimRequest> actions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    private final LicenseReports reports;
    private final List<String> forbidden = new CopyOnWriteArrayList<>();

    VspcApi(final Fleet fleet, final Fleet.Appliance appliance, final Tokens tokens, final LicenseReports reports) {
        super(fleet, appliance, tokens);
        this.reports = reports;
    }

    /** Every call made to a report endpoint that changes what Veeam bills, as {@code METHOD path}. */
    List<String> forbiddenCalls() {
        return List.copyOf(forbidden);
    }

    /** Finalization, approval and settings of the reports: refused whatever the method, and counted. */
    @Override
    SimResponse precheck(final SimRequest request) {
        final String path = request.path();
        if (path.startsWith(REPORTS) && (path.contains("/finalization") || path.contains("/settings")
                || path.contains("/approve") || !request.method().equals("GET"))) {
            forbidden.add(request.method() + " " + path);
            return error(403, "Forbidden", "the simulator refuses " + request.method() + " " + path
                    + ": a usage collector must never finalize, approve or configure license reports");
        }
        return null;
    }

    @Override
    String tokenPath() {
        return "/api/v3/token";
    }

    /** Answers 202 and runs the request as an async action, as VSPC does under load. */
    SimResponse startAsync(final SimRequest request) {
        final String id = UUID.randomUUID().toString();
        actions.put(id, request);
        running.put(id, new AtomicInteger(1));
        return SimResponse.json(202, Map.of("meta", Map.of(), "data", Map.of("id", id, "status", "running")))
                .withHeader("Location", appliance.path() + ASYNC + id);
    }

    @Override
    SimResponse data(final SimRequest request, final Instant now, final boolean shifted) {
        if (request.path().startsWith(ASYNC)) {
            return async(request.path().substring(ASYNC.length()), now, shifted);
        }
        final List<Map<String, Object>> collection;
        if (request.path().equals(SERVERS)) {
            collection = servers(now, shifted);
        } else if (request.path().equals(ORGANIZATIONS)) {
            collection = new VspcReportViews(fleet, reports, appliance.dialect() == Fleet.Dialect.FIELD)
                    .organizationUsage(now);
        } else if (request.path().equals(REPORTS + "latest")) {
            collection = List.of(new VspcReportViews(fleet, reports, appliance.dialect() == Fleet.Dialect.FIELD)
                    .report(reports.latest(now)));
        } else if (request.path().startsWith(REPORTS)) {
            final LocalDate date;
            try {
                date = LocalDate.parse(request.path().substring(REPORTS.length()));
            } catch (final DateTimeParseException e) {
                return error(400, "logical", "the report date must be YYYY-MM-DD: " + e.getMessage());
            }
            final VspcReportViews views = new VspcReportViews(fleet, reports,
                    appliance.dialect() == Fleet.Dialect.FIELD);
            collection = reports.generatedOn(date, now).map(views::report).stream().toList();
        } else {
            return error(404, "NotFound", "no resource at " + request.path());
        }
        final int offset = intParam(request, "offset", 0);
        final int limit = intParam(request, "limit", DEFAULT_LIMIT);
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            return error(400, "logical", "limit must be between 1 and " + MAX_LIMIT + " and offset at least 0");
        }
        final int from = Math.min(offset, collection.size());
        final int to = Math.min(collection.size(), from + limit);
        final Map<String, Object> page = new LinkedHashMap<>();
        page.put("meta", Map.of("pagingInfo", Map.of("total", collection.size(), "count", to - from,
                "offset", offset)));
        page.put("data", collection.subList(from, to));
        return SimResponse.json(200, page);
    }

    private SimResponse async(final String rest, final Instant now, final boolean shifted) {
        final boolean result = rest.endsWith("/result");
        final String id = result ? rest.substring(0, rest.length() - "/result".length()) : rest;
        final SimRequest original = actions.get(id);
        if (original == null) {
            return error(404, "logical", "no async action " + id);
        }
        if (!result) {
            final boolean stillRunning = running.get(id).getAndDecrement() > 0;
            return SimResponse.json(200, Map.of("meta", Map.of(), "data", Map.of("id", id,
                    "status", stillRunning ? "running" : "succeed")));
        }
        actions.remove(id);
        running.remove(id);
        return data(original, now, shifted);
    }

    private List<Map<String, Object>> servers(final Instant now, final boolean shifted) {
        final boolean pascal = appliance.dialect() == Fleet.Dialect.FIELD;
        final List<Map<String, Object>> servers = new ArrayList<>();
        if (shifted) {
            servers.add(server(Fleet.uuid("arrived-during-the-crawl").toString(), "Zeta", 0, "Instances", pascal));
        }
        for (final Fleet.Series s : fleet.seriesOf("vspc", null)) {
            servers.add(server(s.type(), s.scope(), fleet.count(s, now), fleet.unitType(s), pascal));
        }
        return servers;
    }

    private static Map<String, Object> server(final String uid, final String company, final int usedUnits,
                                              final String unitType, final boolean pascal) {
        final Map<String, Object> server = new LinkedHashMap<>();
        server.put("backupServerUid", uid);
        server.put("autoUpdateEnabled", false);
        server.put("edition", "Enterprise Plus");
        server.put("monitoring", false);
        server.put("packages", List.of("backup"));
        server.put("company", company);
        server.put("email", "billing@" + company.toLowerCase(Locale.ROOT) + ".example");
        server.put("contactPerson", "Billing Contact");
        server.put("expirationDate", "2027-12-31T00:00:00+00:00");
        server.put("supportExpirationDate", "2027-12-31T00:00:00+00:00");
        server.put("licenseIds", List.of());
        server.put("supportIds", List.of("00276360"));
        server.put("sectionTypes", List.of(enumText("Instance", pascal)));
        server.put("status", enumText("Valid", pascal));
        server.put("cloudConnect", enumText("No", pascal));
        server.put("sockets", 0.0);
        server.put("usedSockets", 0.0);
        server.put("capacity", 0.0);
        server.put("usedCapacity", null);
        server.put("units", new BigDecimal("1000.0"));
        server.put("usedUnits", new BigDecimal(usedUnits + ".0"));
        server.put("unitType", enumText(unitType, pascal));
        server.put("type", enumText("Rental", pascal));
        return server;
    }

    static String enumText(final String pascalCase, final boolean pascal) {
        return pascal ? pascalCase : pascalCase.toLowerCase(Locale.ROOT);
    }

    @Override
    SimResponse error(final int status, final String code, final String message) {
        final Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", status == 401 || status == 403 ? "security" : status >= 500 ? "transport" : "logical");
        error.put("code", status);
        // every server error comes back as 520
        return SimResponse.json(status >= 500 ? 520 : status, Map.of("errors", List.of(error)));
    }
}
