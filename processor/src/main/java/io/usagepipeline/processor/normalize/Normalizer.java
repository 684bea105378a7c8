package io.usagepipeline.processor.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.processor.TenantDirectory;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the pages of a COMPLETE raw poll into one {@link Observation} per series (DESIGN §3, normalization table),
 * in every dialect real deployments send: {@code *Instances} or {@code *Units} in VAC, PascalCase or lowercase enums
 * in VSPC, numeric or string ids in Azure. Unknown fields are ignored.
 */
public final class Normalizer {

    static final String AWS_LICENSE_TYPE = "AWS_EC2_INSTANCE";
    private static final String INSTANCES = "instances";

    private final TenantDirectory tenants;
    private final BigDecimal maxUnits;

    /**
     * @param maxUnits the largest figure a series may plausibly report (units, count, every extra); a snapshot with
     *                 a larger one is refused whole, never billed
     */
    public Normalizer(final TenantDirectory tenants, final BigDecimal maxUnits) {
        this.tenants = tenants;
        this.maxUnits = maxUnits;
    }

    public List<Observation> normalize(final RawPoll poll) throws MalformedPayloadException {
        final SeriesLevels levels = new SeriesLevels(poll);
        switch (poll.endpoint()) {
            case LICENSED_WORKLOADS -> awsWorkloads(poll, levels);
            case LICENSE_RESOURCES -> azureResources(poll, levels);
            case BACKUP_SERVER_USAGE, CLOUD_CONNECT_USAGE -> vacUsage(poll, levels);
            case BACKUP_SERVERS -> vspcBackupServers(poll, levels);
            case ORGANIZATION_USAGE -> vspcOrganizationUsage(poll, levels);
            default -> throw new MalformedPayloadException("no normalizer for endpoint " + poll.endpoint());
        }
        final List<Observation> observations = levels.observations();
        for (final Observation observation : observations) {
            plausible(observation, "units", observation.units());
            plausible(observation, "count", BigDecimal.valueOf(observation.count()));
            for (final var extra : observation.extra().entrySet()) {
                plausible(observation, extra.getKey(), extra.getValue());
            }
        }
        return observations;
    }

    private void plausible(final Observation observation, final String figure, final BigDecimal value)
            throws ImplausibleFigureException {
        if (value.compareTo(maxUnits) > 0) {
            throw new ImplausibleFigureException(observation.seriesKey() + ": " + figure + " " + value.toPlainString()
                    + " is beyond processor.maxUnits (" + maxUnits.toPlainString() + ")");
        }
    }

    /** One unit per protected EC2 workload; an empty answer is a known zero. */
    private void awsWorkloads(final RawPoll poll, final SeriesLevels levels) throws MalformedPayloadException {
        final Set<String> ids = new HashSet<>();
        for (int p = 0; p < poll.pages().size(); p++) {
            final String where = "licensedWorkloads page " + (p + 1);
            Payloads.requireObject(poll.pages().get(p), where);
            for (final JsonNode item : Payloads.array(poll.pages().get(p), "results", where)) {
                ids.add(Payloads.text(item, "id", where));
            }
        }
        levels.series(singleTenant(poll), AWS_LICENSE_TYPE, INSTANCES).add(BigDecimal.valueOf(ids.size()), ids.size());
    }

    /** Units are the sum of {@code cost} per resource type; counts per licensed state go to extra. */
    private void azureResources(final RawPoll poll, final SeriesLevels levels) throws MalformedPayloadException {
        final Set<String> ids = new HashSet<>();
        final String tenant = singleTenant(poll);
        for (int p = 0; p < poll.pages().size(); p++) {
            final String where = "license/resources page " + (p + 1);
            Payloads.requireObject(poll.pages().get(p), where);
            for (final JsonNode item : Payloads.array(poll.pages().get(p), "results", where)) {
                if (!ids.add(Payloads.text(item, "id", where))) {
                    continue; // a resource seen on an earlier page
                }
                final String type = Payloads.optionalText(item, "resourceType");
                final String state = Payloads.optionalText(item, "licensedState");
                levels.series(tenant, "AZURE_" + Payloads.upperSnake(type == null ? "Unknown" : type), INSTANCES)
                        .add(Payloads.decimal(item, where, "cost"), 1)
                        .addExtra("licensedState." + Payloads.upperSnake(state == null ? "Unknown" : state),
                                BigDecimal.ONE);
            }
        }
    }

    /** Bare arrays, one item per license type, {@code *Instances} (VAC 2.x/3.x) or {@code *Units} (later builds). */
    private void vacUsage(final RawPoll poll, final SeriesLevels levels) throws MalformedPayloadException {
        final TenantDirectory.Mapping mapping = tenants.of(poll);
        final String tenant = mapping.lookup(poll.scope())
                .orElse(poll.tenantId() != null ? poll.tenantId() : poll.sourceId() + "-" + poll.scope());
        final String seriesSource = seriesSource(poll, mapping, tenant);
        for (int p = 0; p < poll.pages().size(); p++) {
            final String where = poll.endpoint().wireName() + " page " + (p + 1);
            for (final JsonNode item : Payloads.array(poll.pages().get(p), null, where)) {
                Payloads.requireObject(item, where);
                final String unitType = Payloads.optionalText(item, "unitType", "unitsType");
                levels.series(tenant, seriesSource, Payloads.text(item, "type", where),
                                unitType == null ? INSTANCES : unitType.toLowerCase(Locale.ROOT))
                        .add(Payloads.decimal(item, where, "usedInstances", "usedUnits"),
                                Payloads.count(item, where, "usedCount"))
                        .addExtra("rentalUnits", Payloads.decimal(item, where, "rentalInstances", "rentalUnits"))
                        .addExtra("newUnits", Payloads.decimal(item, where, "newInstances", "newUnits"))
                        .addExtra("rentalCount", Payloads.decimal(item, where, "rentalCount"))
                        .addExtra("newCount", Payloads.decimal(item, where, "newCount"));
            }
        }
    }

    /** One series per company, license type and unit type; units are the used units over that company's servers. */
    private void vspcBackupServers(final RawPoll poll, final SeriesLevels levels) throws MalformedPayloadException {
        final TenantDirectory.Mapping mapping = tenants.of(poll);
        final Set<String> servers = new HashSet<>();
        for (int p = 0; p < poll.pages().size(); p++) {
            final String where = "licensing/backupServers page " + (p + 1);
            Payloads.requireObject(poll.pages().get(p), where);
            for (final JsonNode item : Payloads.array(poll.pages().get(p), "data", where)) {
                Payloads.requireObject(item, where);
                final String uid = Payloads.optionalText(item, "backupServerUid");
                if (uid != null && !servers.add(uid)) {
                    continue; // a server seen on an earlier page
                }
                final String company = Payloads.optionalText(item, "company");
                final String tenant = company == null ? "unassigned"
                        : mapping.lookup(company).orElse(Payloads.slug(company));
                final String type = Payloads.optionalText(item, "type");
                final String unitType = Payloads.optionalText(item, "unitType", "unitsType");
                final String edition = Payloads.optionalText(item, "edition");
                levels.series(tenant, "VBR_" + Payloads.upperSnake(type == null ? "Unknown" : type) + "_"
                                        + Payloads.upperSnake(unitType == null ? "Unknown" : unitType),
                                unitType == null ? "unknown" : unitType.toLowerCase(Locale.ROOT))
                        .add(Payloads.decimal(item, where, "usedUnits"), 1)
                        .addExtra("licensedUnits", Payloads.decimal(item, where, "units"))
                        .addExtra("edition." + (edition == null ? "Unknown" : edition), BigDecimal.ONE);
            }
        }
    }

    /**
     * One series per organization and workload type, summed over the servers that manage its workloads: units are
     * the points used ({@code usedUnits}, new workloads included, as VSPC counts them), count the workloads; the
     * workload type is the one Veeam's report names ({@code description}, else the platform's {@code typeId}).
     */
    private void vspcOrganizationUsage(final RawPoll poll, final SeriesLevels levels)
            throws MalformedPayloadException {
        final TenantDirectory.Mapping mapping = tenants.of(poll);
        final Set<String> organizations = new HashSet<>();
        for (int p = 0; p < poll.pages().size(); p++) {
            final String where = "licensing/usage/organizations page " + (p + 1);
            Payloads.requireObject(poll.pages().get(p), where);
            for (final JsonNode organization : Payloads.array(poll.pages().get(p), "data", where)) {
                Payloads.requireObject(organization, where);
                final String uid = Payloads.text(organization, "organizationUid", where);
                if (!organizations.add(uid)) {
                    continue; // an organization seen on an earlier page
                }
                final String tenant = mapping.lookup(uid).orElse(Payloads.slug(uid));
                final JsonNode servers = organization.path("servers");
                for (final JsonNode server : servers.isMissingNode() ? List.<JsonNode>of()
                        : Payloads.array(organization, "servers", where)) {
                    for (final JsonNode workload : Payloads.array(server, "workloads", where)) {
                        Payloads.requireObject(workload, where);
                        final JsonNode platforms = workload.path("workloadsByPlatform");
                        final JsonNode platform = platforms.isArray() && !platforms.isEmpty() ? platforms.get(0)
                                : workload;
                        final String type = Payloads.optionalText(workload, "description") != null
                                ? Payloads.optionalText(workload, "description")
                                : Payloads.text(platform, "typeId", where);
                        final SeriesLevels.Level level = levels.series(tenant, type, "points");
                        if (platform.hasNonNull("weight")) {
                            level.putExtra("weight", Payloads.decimal(platform, where, "weight"));
                        }
                        level.add(Payloads.decimal(workload, where, "usedUnits"),
                                        Payloads.count(workload, where, "usedCount"))
                                .addExtra("newUnits", Payloads.decimal(workload, where, "newUnits"))
                                .addExtra("newCount", Payloads.decimal(workload, where, "newCount"))
                                .addExtra("rentalUnits", Payloads.decimal(workload, where, "rentalUnits"))
                                .addExtra("rentalCount", Payloads.decimal(workload, where, "rentalCount"));
                    }
                }
            }
        }
    }

    /**
     * The source part of a VAC series' key. Every series comes from exactly one poll target, so that its level is one
     * answer, never two answers in turn: when several VAC tenant ids of a source map to one tenant (two console
     * accounts billed as one customer), each keeps its own series, {@code sourceId/vacTenantId}, and the tenant's
     * usage is their sum. A tenant with one VAC tenant id keeps the plain {@code tenant|sourceId|licenseType}.
     */
    static String seriesSource(final RawPoll poll, final TenantDirectory.Mapping mapping, final String tenant) {
        return mapping.shared(tenant) ? poll.sourceId() + "/" + poll.scope() : poll.sourceId();
    }

    /** AWS and Azure appliances serve one tenant: the source's configured one (else the source itself). */
    private static String singleTenant(final RawPoll poll) {
        return poll.tenantId() != null ? poll.tenantId() : poll.sourceId();
    }
}
