package io.usagepipeline.processor.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.processor.TenantDirectory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the pages of a COMPLETE {@code licenseReport} poll (VSPC's {@code SingleLicenseReport}s) into one
 * {@link VendorReportLine} per organization and workload type (DESIGN §4c). An organization's figures come from its
 * {@code usageDetails}, summed over the licenses and products it is listed under; the servers the report could not
 * collect, and those it flags as cloned or unsupported, go with every line of the organization, the cloud servers'
 * with every line of the report. Organizations map through the poll's {@code tenantMap} by name or UID.
 */
public final class ReportReader {

    private final TenantDirectory tenants;

    public ReportReader(final TenantDirectory tenants) {
        this.tenants = tenants;
    }

    public List<VendorReportLine> read(final RawPoll poll) throws MalformedPayloadException {
        final TenantDirectory.Mapping mapping = tenants.of(poll);
        final Map<String, Line> lines = new LinkedHashMap<>();
        for (int p = 0; p < poll.pages().size(); p++) {
            final String where = "licensing/reports page " + (p + 1);
            Payloads.requireObject(poll.pages().get(p), where);
            for (final JsonNode report : Payloads.array(poll.pages().get(p), "data", where)) {
                Payloads.requireObject(report, where);
                read(poll, mapping, report, where, lines);
            }
        }
        final List<VendorReportLine> read = new ArrayList<>();
        lines.values().forEach(line -> read.add(line.toRecord(poll)));
        return read;
    }

    private static void read(final RawPoll poll, final TenantDirectory.Mapping mapping, final JsonNode report,
                             final String where, final Map<String, Line> lines) throws MalformedPayloadException {
        final ReportStatus status = ReportStatus.of(Payloads.text(report, "reportStatus", where));
        // "reportParemeters" is the API's own spelling; a corrected one is read too
        final JsonNode parameters = report.has("reportParemeters") ? report.get("reportParemeters")
                : report.path("reportParameters");
        Payloads.requireObject(parameters, where + " reportParemeters");
        final long reportId = Payloads.count(parameters, where, "reportId");
        final String start = Payloads.text(parameters.path("reportInterval"), "startOfInterval", where
                + " reportInterval");
        if (!start.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            throw new MalformedPayloadException(where + ": startOfInterval '" + start + "' is not a date");
        }
        final String month = start.substring(0, 7);
        final String generated = Payloads.optionalText(parameters, "generationDate");
        final Set<String> cloudNotCollected = servers(report, "notCollectedCloudServers", where);
        final Set<String> cloudCloned = servers(report, "clonedCloudServers", where);
        final Set<String> cloudUnsupported = servers(report, "unsupportedCloudServers", where);
        final JsonNode details = report.path("usageDetails");
        for (final JsonNode organization : details.isMissingNode() || details.isNull() ? List.<JsonNode>of()
                : Payloads.array(report, "usageDetails", where)) {
            Payloads.requireObject(organization, where);
            final String name = Payloads.optionalText(organization, "organizationName");
            final String uid = Payloads.optionalText(organization, "organizationUid");
            if (name == null && uid == null) {
                throw new MalformedPayloadException(where + ": usage details without organizationName or UID");
            }
            final String tenant = (name == null ? Optional.<String>empty() : mapping.lookup(name))
                    .or(() -> uid == null ? Optional.empty() : mapping.lookup(uid))
                    .orElseGet(() -> Payloads.slug(name != null ? name : uid));
            final Set<String> notCollected = union(cloudNotCollected,
                    servers(organization, "notCollectedClientServers", where));
            final Set<String> cloned = union(cloudCloned, servers(organization, "clonedClientServers", where));
            final Set<String> unsupported = union(cloudUnsupported,
                    servers(organization, "unsupportedClientServers", where));
            for (final JsonNode product : Payloads.array(organization, "usageByLicenseAndProduct", where)) {
                final JsonNode workloads = product.path("workloadUsage");
                for (final JsonNode workload : workloads.isMissingNode() || workloads.isNull()
                        ? List.<JsonNode>of() : Payloads.array(product, "workloadUsage", where)) {
                    Payloads.requireObject(workload, where);
                    final String type = Payloads.text(workload, "workloadType", where);
                    final Line line = lines.computeIfAbsent(tenant + "|" + type + "|" + month, key -> new Line(
                            tenant, type, month, reportId, status, generated, uid, name, notCollected, cloned,
                            unsupported));
                    line.add(Payloads.count(workload, where, "initialCount"),
                            Payloads.count(workload, where, "reportedCount"),
                            Payloads.count(workload, where, "newCount"), Payloads.decimal(workload, where, "weight"),
                            Payloads.decimal(workload, where, "usedPoints"));
                }
            }
        }
    }

    private static Set<String> servers(final JsonNode node, final String field, final String where)
            throws MalformedPayloadException {
        final JsonNode servers = node.path(field);
        final Set<String> names = new LinkedHashSet<>();
        if (servers.isMissingNode() || servers.isNull()) {
            return names;
        }
        for (final JsonNode server : Payloads.array(node, field, where)) {
            names.add(server.asText());
        }
        return names;
    }

    private static Set<String> union(final Set<String> a, final Set<String> b) {
        final Set<String> union = new LinkedHashSet<>(a);
        union.addAll(b);
        return union;
    }

    /** One organization's workload type, summed over the licenses it is listed under. */
    private static final class Line {
        private final String tenant;
        private final String type;
        private final String month;
        private final long reportId;
        private final ReportStatus status;
        private final String generated;
        private final String uid;
        private final String name;
        private final Set<String> notCollected;
        private final Set<String> cloned;
        private final Set<String> unsupported;
        private long initial;
        private long reported;
        private long fresh;
        private BigDecimal weight;
        private BigDecimal points = BigDecimal.ZERO;

        Line(final String tenant, final String type, final String month, final long reportId,
             final ReportStatus status, final String generated, final String uid, final String name,
             final Set<String> notCollected, final Set<String> cloned, final Set<String> unsupported) {
            this.tenant = tenant;
            this.type = type;
            this.month = month;
            this.reportId = reportId;
            this.status = status;
            this.generated = generated;
            this.uid = uid;
            this.name = name;
            this.notCollected = notCollected;
            this.cloned = cloned;
            this.unsupported = unsupported;
        }

        void add(final long addedInitial, final long addedReported, final long addedNew, final BigDecimal lineWeight,
                 final BigDecimal usedPoints) {
            initial += addedInitial;
            reported += addedReported;
            fresh += addedNew;
            weight = weight == null ? lineWeight : weight;
            points = points.add(usedPoints);
        }

        VendorReportLine toRecord(final RawPoll poll) {
            return new VendorReportLine(null, tenant, poll.sourceId(), type, month, reportId, status, generated, uid,
                    name, initial, reported, fresh, weight, points, List.copyOf(notCollected), List.copyOf(cloned),
                    List.copyOf(unsupported), poll.pollId(), poll.polledAt());
        }
    }
}
