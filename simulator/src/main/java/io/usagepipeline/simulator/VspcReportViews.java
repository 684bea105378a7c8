package io.usagepipeline.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * VSPC's answers about license usage, in the field names of its public OpenAPI models:
 * {@code OrganizationCurrentLicenseUsage} (per organization, server and workload, with the per-platform
 * {@code weight}) and {@code SingleLicenseReport} (status, parameters, summary, organizations' points, per-organization
 * {@code usageDetails} with {@code WorkloadLicenseUsage} lines and the completeness flags).
 */
final class VspcReportViews {

    private static final String EDITION = "Enterprise Plus";

    private final Fleet fleet;
    private final LicenseReports reports;
    private final boolean pascal;

    VspcReportViews(final Fleet fleet, final LicenseReports reports, final boolean pascal) {
        this.fleet = fleet;
        this.reports = reports;
        this.pascal = pascal;
    }

    /** {@code GET /licensing/usage/organizations}: one item per VSPC company, its servers and their workloads. */
    List<Map<String, Object>> organizationUsage(final Instant now) {
        final List<Map<String, Object>> organizations = new ArrayList<>();
        for (final String company : fleet.vspcCompanies().keySet()) {
            final Map<String, List<Map<String, Object>>> byServer = new TreeMap<>();
            final Map<String, String> serverTypes = new TreeMap<>();
            for (final Fleet.Series series : fleet.seriesOf(Fleet.VSPC_USAGE, company)) {
                for (final LicenseReports.WorkloadShare share : reports.shares(series, now)) {
                    serverTypes.put(share.serverUid(), share.serverType());
                    byServer.computeIfAbsent(share.serverUid(), uid -> new ArrayList<>())
                            .add(workload(series, share.count(), share.newCount()));
                }
            }
            final List<Map<String, Object>> servers = new ArrayList<>();
            byServer.forEach((uid, workloads) -> {
                final Map<String, Object> server = new LinkedHashMap<>();
                server.put("serverUid", uid);
                server.put("serverType", VspcApi.enumText(serverTypes.get(uid), pascal));
                server.put("workloads", workloads);
                servers.add(server);
            });
            final Map<String, Object> organization = new LinkedHashMap<>();
            organization.put("organizationUid", Fleet.organizationUid(company).toString());
            organization.put("organizationType", VspcApi.enumText("Company", pascal));
            organization.put("providerUid", Fleet.uuid("vspc-provider").toString());
            organization.put("servers", servers);
            organizations.add(organization);
        }
        return organizations;
    }

    /** A {@code CurrentLicenseUsageWorkload}: VSPC counts new workloads among the used ones. */
    private Map<String, Object> workload(final Fleet.Series series, final int count, final int fresh) {
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rentalUnits", new BigDecimal("0.0"));
        figures.put("newUnits", series.weight().multiply(BigDecimal.valueOf(fresh)));
        figures.put("usedUnits", series.weight().multiply(BigDecimal.valueOf(count)));
        figures.put("rentalCount", 0);
        figures.put("newCount", fresh);
        figures.put("usedCount", count);
        final Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("typeId", series.type());
        platform.put("description", series.type());
        platform.put("weight", series.weight());
        platform.putAll(figures);
        final Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("id", Fleet.uuid("workload-type/" + series.type()).toString());
        workload.put("description", series.type());
        workload.put("unitType", VspcApi.enumText("Points", pascal));
        workload.putAll(figures);
        workload.put("workloadsByPlatform", List.of(platform));
        return workload;
    }

    /** A {@code SingleLicenseReport}. */
    Map<String, Object> report(final LicenseReports.Report report) {
        final Map<String, List<LicenseReports.Line>> byOrganization = new TreeMap<>();
        report.lines().forEach(line -> byOrganization.computeIfAbsent(line.company(), c -> new ArrayList<>())
                .add(line));
        final List<Map<String, Object>> organizations = new ArrayList<>();
        final List<Map<String, Object>> details = new ArrayList<>();
        final Map<String, Map<String, Object>> summary = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (final Map.Entry<String, List<LicenseReports.Line>> organization : byOrganization.entrySet()) {
            final List<LicenseReports.Line> lines = organization.getValue();
            final String uid = lines.get(0).organizationUid();
            final BigDecimal points = lines.stream().map(LicenseReports.Line::usedPoints)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            total = total.add(points);
            final Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("organizationType", VspcApi.enumText("Company", pascal));
            usage.put("organizationName", organization.getKey());
            usage.put("organizationUid", uid);
            usage.put("tenantUid", null);
            usage.put("usedPoints", points);
            organizations.add(usage);
            final Map<String, Object> product = new LinkedHashMap<>();
            product.put("licenseId", Fleet.uuid("license/" + organization.getKey()).toString());
            product.put("productType", VspcApi.enumText("BackupAndReplication", pascal));
            product.put("licenseEdition", EDITION);
            product.put("usedPoints", points);
            product.put("workloadUsage", lines.stream().map(this::workloadUsage).toList());
            final Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("organizationName", organization.getKey());
            detail.put("organizationUid", uid);
            detail.put("tenantUid", null);
            detail.put("supportId", "00276360");
            detail.put("notCollectedClientServers", lines.get(0).notCollected());
            detail.put("clonedClientServers", List.of());
            detail.put("unsupportedClientServers", List.of());
            detail.put("usageByLicenseAndProduct", List.of(product));
            details.add(detail);
            for (final LicenseReports.Line line : lines) {
                summary.merge(line.workloadType(), workloadUsage(line), VspcReportViews::sum);
            }
        }
        final Map<String, Object> products = new LinkedHashMap<>();
        products.put("productType", VspcApi.enumText("BackupAndReplication", pascal));
        products.put("totalPoints", total);
        products.put("licenseEdition", EDITION);
        products.put("workloadUsage", List.copyOf(summary.values()));
        final Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("reportId", report.reportId());
        parameters.put("organizationName", "Service Provider");
        parameters.put("organizationUid", Fleet.uuid("vspc-provider").toString());
        parameters.put("licenseCompanyName", "Service Provider");
        parameters.put("generationDate", report.generationDate().toString());
        parameters.put("reportInterval", Map.of("startOfInterval", report.month().atDay(1).toString(),
                "endOfInterval", report.month().atEndOfMonth().toString()));
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("reportStatus", VspcApi.enumText(report.status(), pascal));
        body.put("reportParemeters", parameters); // sic: the API's spelling
        body.put("reportSummary", Map.of("totalPoints", total, "productsUsage", List.of(products)));
        body.put("organizationsUsage", organizations);
        body.put("notCollectedCloudServers", List.of());
        body.put("clonedCloudServers", List.of());
        body.put("unsupportedCloudServers", List.of());
        body.put("usageDetails", details);
        body.put("appendices", List.of());
        return body;
    }

    private Map<String, Object> workloadUsage(final LicenseReports.Line line) {
        final Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("workloadType", line.workloadType());
        usage.put("description", line.workloadType());
        usage.put("initialCount", line.initialCount());
        usage.put("reportedCount", line.reportedCount());
        usage.put("newCount", line.newCount());
        usage.put("weight", line.weight());
        usage.put("usedPoints", line.usedPoints());
        usage.put("workloadsByPlatform", List.of());
        return usage;
    }

    /** The summary's line of a workload type: the organizations' lines added up. */
    private static Map<String, Object> sum(final Map<String, Object> a, final Map<String, Object> b) {
        final Map<String, Object> sum = new LinkedHashMap<>(a);
        for (final String count : List.of("initialCount", "reportedCount", "newCount")) {
            sum.put(count, (Integer) a.get(count) + (Integer) b.get(count));
        }
        sum.put("usedPoints", ((BigDecimal) a.get("usedPoints")).add((BigDecimal) b.get("usedPoints")));
        return sum;
    }
}
