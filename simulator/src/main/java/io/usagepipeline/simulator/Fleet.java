package io.usagepipeline.simulator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deterministic fleet built from (tenants, seed): which appliances exist, which tenants and series each serves,
 * and what each series reports at any instant ({@link #snapshot}). Every third tenant has a Veeam Backup for AWS
 * appliance, every third (offset by one) a Backup for Microsoft Azure one; even tenants are VAC tenants, odd ones
 * VSPC companies.
 */
public final class Fleet {

    /** A licensing product instance under {@code /<kind>[/<tenant>]}. */
    public record Appliance(String kind, String path, String tenant, Dialect dialect) {
    }

    /** One series as the product reports it, e.g. a VAC tenant's {@code VBR_vSphere_VM} usage. */
    public record Series(String key, String appliance, String scope, String type, BigDecimal weight) {
    }

    /** A product answer variant seen in real deployments. */
    public enum Dialect {
        /** as in the documentation pages */
        DOCUMENTED,
        /** VAC: {@code *Units} + {@code unitType}; VSPC: PascalCase enums; Azure: numeric ids */
        FIELD
    }

    static final List<String> NAMES = List.of("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne",
            "wonka", "tyrell", "cyberdyne", "soylent", "aperture");
    static final List<String> VAC_BACKUP_TYPES = List.of("VBR_vSphere_VM", "VBR_Windows_Server_Agent",
            "VBR_Windows_Workstation_Agent");
    static final List<String> VAC_CLOUD_TYPES = List.of("CC_Server_Backup", "CC_Workstation_Backup");
    static final List<String> AZURE_TYPES = List.of("Virtual Machine", "Managed Disk", "SQL server", "File Share");
    /**
     * The workload types a VSPC company's license usage shows, with the points one workload uses. The simulator
     * plays Veeam here; the pipeline itself reads weights from the answers, never from code.
     */
    static final Map<String, BigDecimal> VSPC_WORKLOADS = Map.of("VBR_VM", BigDecimal.ONE, "VBR_Server_Agent",
            BigDecimal.ONE, "VAC_Workstation_Agent", new BigDecimal("0.33"));
    /** The pseudo-appliance of the VSPC companies' workload series: served by {@code /vspc}, counted per company. */
    public static final String VSPC_USAGE = "vspc-usage";

    private final long seed;
    private final LevelModel model;
    private final List<String> tenants = new ArrayList<>();
    private final Map<String, Appliance> appliances = new LinkedHashMap<>();
    private final Map<String, Series> series = new LinkedHashMap<>();
    /** The series by appliance, and by appliance and scope, in fleet order: every request asks for one of these. */
    private final Map<String, List<Series>> byAppliance = new HashMap<>();
    private final Map<List<String>, List<Series>> byScope = new HashMap<>();
    private final List<Surge> surges = new CopyOnWriteArrayList<>();

    public Fleet(final int tenantCount, final long seed, final Dialect vacDialect, final Dialect vspcDialect) {
        this.seed = seed;
        this.model = new LevelModel(seed);
        for (int i = 0; i < tenantCount; i++) {
            tenants.add(i < NAMES.size() ? NAMES.get(i) : String.format("tenant-%03d", i + 1));
        }
        appliances.put("vac", new Appliance("vac", "/vac", null, vacDialect));
        appliances.put("vspc", new Appliance("vspc", "/vspc", null, vspcDialect));
        for (int i = 0; i < tenantCount; i++) {
            final String tenant = tenants.get(i);
            if (i % 3 == 0) {
                appliances.put("aws/" + tenant, new Appliance("aws", "/aws/" + tenant, tenant, Dialect.DOCUMENTED));
                add(new Series("aws/" + tenant + "/workloads", "aws/" + tenant, "-", "EC2", BigDecimal.ONE));
            }
            if (i % 3 == 1) {
                appliances.put("azure/" + tenant, new Appliance("azure", "/azure/" + tenant, tenant,
                        i % 2 == 0 ? Dialect.DOCUMENTED : Dialect.FIELD));
                for (final String type : AZURE_TYPES) {
                    if (type.equals("Virtual Machine") || model.pick(tenant + type, "has", 2) == 0) {
                        add(new Series("azure/" + tenant + "/" + type, "azure/" + tenant, "-", type, BigDecimal.ONE));
                    }
                }
            }
            if (i % 2 == 0) {
                final String vacTenant = String.valueOf(i + 1); // as in vacTenants()
                for (final String type : VAC_BACKUP_TYPES) {
                    add(new Series("vac/" + vacTenant + "/" + type, "vac", vacTenant, type,
                            type.contains("Workstation") ? new BigDecimal("0.33") : BigDecimal.ONE));
                }
                for (final String type : VAC_CLOUD_TYPES) {
                    add(new Series("vac/" + vacTenant + "/" + type, "vac", vacTenant, type,
                            type.contains("Workstation") ? new BigDecimal("0.16") : new BigDecimal("0.33")));
                }
            } else {
                final int servers = 1 + model.pick(tenant, "servers", 3);
                for (int s = 0; s < servers; s++) {
                    final String uid = uuid("vspc/" + tenant + "/" + s).toString();
                    add(new Series("vspc/" + tenant + "/" + uid, "vspc", companyName(tenant), uid, BigDecimal.ONE));
                }
                for (final String type : new TreeSet<>(VSPC_WORKLOADS.keySet())) {
                    if (type.equals("VBR_VM") || model.pick(tenant + "/" + type, "has", 2) == 0) {
                        add(new Series(VSPC_USAGE + "/" + tenant + "/" + type, VSPC_USAGE, companyName(tenant), type,
                                VSPC_WORKLOADS.get(type)));
                    }
                }
            }
        }
    }

    private void add(final Series s) {
        series.put(s.key(), s);
        byAppliance.computeIfAbsent(s.appliance(), appliance -> new ArrayList<>()).add(s);
        byScope.computeIfAbsent(List.of(s.appliance(), s.scope()), scope -> new ArrayList<>()).add(s);
    }

    public long seed() {
        return seed;
    }

    public List<String> tenants() {
        return List.copyOf(tenants);
    }

    public Map<String, Appliance> appliances() {
        return Map.copyOf(appliances);
    }

    public List<Series> series() {
        return List.copyOf(series.values());
    }

    public Series series(final String key) {
        return series.get(key);
    }

    /** The series of {@code appliance}, of one {@code scope} of it unless null, in fleet order. */
    public List<Series> seriesOf(final String appliance, final String scope) {
        final List<Series> of = scope == null ? byAppliance.get(appliance) : byScope.get(List.of(appliance, scope));
        return of == null ? List.of() : Collections.unmodifiableList(of);
    }

    /** VAC tenant id → tenant, for the tenants the VAC appliance serves (the even ones), in id order. */
    public Map<String, String> vacTenants() {
        final Map<String, String> vac = new LinkedHashMap<>();
        for (int i = 0; i < tenants.size(); i += 2) {
            vac.put(String.valueOf(i + 1), tenants.get(i));
        }
        return vac;
    }

    /** VSPC company name → tenant, for the tenants that are VSPC companies (the odd ones). */
    public Map<String, String> vspcCompanies() {
        final Map<String, String> companies = new LinkedHashMap<>();
        for (int i = 1; i < tenants.size(); i += 2) {
            companies.put(companyName(tenants.get(i)), tenants.get(i));
        }
        return companies;
    }

    /** VSPC organization UID → tenant, for the VSPC companies: the key VSPC's usage per organization is given by. */
    public Map<String, String> vspcOrganizations() {
        final Map<String, String> organizations = new LinkedHashMap<>();
        vspcCompanies().forEach((company, tenant) -> organizations.put(organizationUid(company).toString(), tenant));
        return organizations;
    }

    /** The UID VSPC gives a company. */
    public static UUID organizationUid(final String company) {
        return uuid("vspc-organization/" + company);
    }

    /** The UIDs of a VSPC company's backup servers, in fleet order. */
    public List<String> backupServersOf(final String company) {
        return seriesOf("vspc", company).stream().map(Series::type).toList();
    }

    /** How VSPC names a company: "Acme", "Tenant-013". */
    private static String companyName(final String tenant) {
        return Character.toUpperCase(tenant.charAt(0)) + tenant.substring(1);
    }

    /** A planted surge: the series' count times {@code factor} in [from, to). */
    private record Surge(String series, Instant from, Instant to, int factor) {
    }

    /**
     * Plants a surge in the ground truth: from {@code from} until {@code to} the series reports {@code factor} times
     * its objects, as when a customer's backups briefly protect far more than usual (or a misconfiguration does).
     */
    public void surge(final String seriesKey, final Instant from, final Instant to, final int factor) {
        surges.add(new Surge(seriesKey, from, to, factor));
    }

    /** Object count of a series now. */
    public int count(final Series s, final Instant at) {
        final int count = model.count(s.key(), at);
        return surges.stream().filter(surge -> surge.series().equals(s.key()) && !at.isBefore(surge.from())
                && at.isBefore(surge.to())).findFirst().map(surge -> count * surge.factor()).orElse(count);
    }

    public int newCount(final Series s, final Instant at) {
        return model.newCount(s.key(), at);
    }

    /** A rental share of a Cloud Connect series: objects covered by the tenant's own rental license. */
    public int rentalCount(final Series s, final Instant at) {
        return s.type().startsWith("CC_") ? count(s, at) / (2 + model.pick(s.key(), "rental", 3)) : 0;
    }

    /**
     * The figures a series reports at an instant, in the product's own terms; the ground truth of
     * {@code /_sim/truth}. Units are count × weight, exact.
     */
    public Map<String, BigDecimal> snapshot(final Series s, final Instant at) {
        final Map<String, BigDecimal> figures = new LinkedHashMap<>();
        final int count = count(s, at);
        switch (s.appliance().split("/")[0]) {
            case "vac" -> {
                final int fresh = Math.min(newCount(s, at), count);
                final int rental = rentalCount(s, at);
                figures.put("usedCount", BigDecimal.valueOf(count - fresh));
                figures.put("usedUnits", s.weight().multiply(BigDecimal.valueOf(count - fresh)));
                figures.put("newCount", BigDecimal.valueOf(fresh));
                figures.put("newUnits", s.weight().multiply(BigDecimal.valueOf(fresh)));
                figures.put("rentalCount", BigDecimal.valueOf(rental));
                figures.put("rentalUnits", s.weight().multiply(BigDecimal.valueOf(rental)));
            }
            case "vspc" -> {
                figures.put("usedUnits", BigDecimal.valueOf(count));
                figures.put("units", BigDecimal.valueOf(1000));
            }
            case VSPC_USAGE -> {
                // VSPC counts new workloads among the used ones; the monthly report then leaves them out
                final int fresh = Math.min(newCount(s, at), count);
                figures.put("usedCount", BigDecimal.valueOf(count));
                figures.put("usedUnits", s.weight().multiply(BigDecimal.valueOf(count)));
                figures.put("newCount", BigDecimal.valueOf(fresh));
                figures.put("newUnits", s.weight().multiply(BigDecimal.valueOf(fresh)));
            }
            default -> {
                figures.put("count", BigDecimal.valueOf(count));
                figures.put("units", s.weight().multiply(BigDecimal.valueOf(count)));
            }
        }
        return figures;
    }

    /** How a VSPC server's license counts: "Instances" or "Points", fixed per server. */
    public String unitType(final Series s) {
        return model.pick(s.key(), "unitType", 2) == 0 ? "Instances" : "Points";
    }

    /** A stable id for an object of a series: the same object keeps its id for as long as it exists. */
    static UUID uuid(final String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
