package io.usagepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP port serving every simulated appliance under its path prefix ({@code /aws/<tenant>},
 * {@code /azure/<tenant>}, {@code /vac}, {@code /vspc}), each usable as a collector source's {@code baseUrl}, plus
 * the simulator's own control endpoints under {@code /_sim}: {@code fleet}, {@code truth}, {@code faults},
 * {@code clock}.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    static {
        // The JDK server writes headers and body separately; with Nagle on, every keep-alive answer waits ~40 ms
        // for a delayed ACK. Read once, when the first server of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final Duration DEFAULT_TIMEOUT_HOLD = Duration.ofSeconds(60);

    private final HttpServer server;
    private final SelfSignedTls.Material tls;
    private final Set<String> headersReceived = ConcurrentHashMap.newKeySet();
    private final boolean seedFixture;
    private final ExecutorService executor;
    private final Fleet fleet;
    private final VirtualClock clock;
    private final Faults faults;
    private final LicenseReports reports;
    private final List<VspcApi> vspcApis = new ArrayList<>();
    private final Map<String, ApplianceApi> apis = new LinkedHashMap<>();

    private SimulatorServer(final SimulatorOptions options) throws IOException {
        this.clock = options.clock();
        this.seedFixture = options.seedFixture();
        this.faults = new Faults(options.seed());
        // the seed fixture has the seed pages' tenants: AWS acme, Azure globex, VAC tenant 2, VSPC Alpha and Beta
        this.fleet = options.seedFixture() ? new Fleet(2, options.seed(), options.vacDialect(), options.vspcDialect())
                : new Fleet(options.tenants(), options.seed(), options.vacDialect(), options.vspcDialect());
        this.reports = new LicenseReports(fleet);
        for (final Fleet.Appliance appliance : fleet.appliances().values()) {
            final String id = appliance.path().substring(1);
            final Tokens tokens = new Tokens(appliance.kind().equals("vac") ? "vac\\svc-usage" : "svc-usage",
                    Credentials.password(options.seed(), id),
                    appliance.kind().equals("vspc") ? Credentials.apiKey(options.seed(), id) : null,
                    options.tokenLifetime(), Clock.systemUTC());
            final ApplianceApi api = switch (appliance.kind()) {
                case "aws" -> new AwsApi(fleet, appliance, tokens);
                case "azure" -> new AzureApi(fleet, appliance, tokens);
                case "vac" -> new VacApi(fleet, appliance, tokens);
                default -> {
                    final VspcApi vspc = new VspcApi(fleet, appliance, tokens, reports);
                    vspcApis.add(vspc);
                    yield vspc;
                }
            };
            apis.put(appliance.path(), options.seedFixture() ? SeedFixtureApi.of(api) : api);
        }
        final InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (options.tlsDir() == null) {
            this.tls = null;
            this.server = HttpServer.create(address, 512);
        } else {
            try {
                this.tls = SelfSignedTls.create(options.tlsDir());
            } catch (final GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
            final HttpsServer https = HttpsServer.create(address, 512);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
            this.server = https;
        }
        // many small concurrent requests: a collector polls thousands of tenants in one slot
        this.executor = Executors.newFixedThreadPool(options.threads());
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    public static SimulatorServer start(final SimulatorOptions options) throws IOException {
        final SimulatorServer simulator = new SimulatorServer(options);
        simulator.server.start();
        LOG.info("Veeam API simulator on {} ({} tenants, seed {}, {} appliances)", simulator.baseUrl(),
                options.tenants(), options.seed(), simulator.apis.size());
        return simulator;
    }

    public String baseUrl() {
        return (tls == null ? "http" : "https") + "://localhost:" + server.getAddress().getPort();
    }

    /** The served certificate's PEM file when serving HTTPS, else null. */
    public Path certificatePem() {
        return tls == null ? null : tls.pem();
    }

    /** The served certificate's SHA-256 fingerprint (AA:BB:...) when serving HTTPS, else null. */
    public String certificateSha256() {
        return tls == null ? null : tls.sha256();
    }

    /** VAC tenant id → tenant name of the VAC appliance. */
    public Map<String, String> vacTenants() {
        return seedFixture ? Map.of("2", "company-2") : fleet.vacTenants();
    }

    /** True when serving the seed pages' example bodies, which have no usage per organization and no reports. */
    public boolean seedFixture() {
        return seedFixture;
    }

    /** VSPC company → tenant name of the VSPC appliance. */
    public Map<String, String> vspcCompanies() {
        return seedFixture ? Map.of("Alpha", "alpha", "Beta", "beta") : fleet.vspcCompanies();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Fleet fleet() {
        return fleet;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** Veeam's monthly license reports of the VSPC appliance, and what they plant. */
    public LicenseReports reports() {
        return reports;
    }

    /** Every call any appliance refused because it would finalize, approve or configure a license report. */
    public List<String> forbiddenCalls() {
        return vspcApis.stream().flatMap(api -> api.forbiddenCalls().stream()).toList();
    }

    /** The name of every header the simulator was sent, in lower case: what reached it, and what did not. */
    public Set<String> headersReceived() {
        return Set.copyOf(headersReceived);
    }

    public Faults faults() {
        return faults;
    }

    /** The credentials of an appliance, e.g. {@code aws/acme}, {@code vac}: for tests and --print-config. */
    public Credentials credentials(final String appliance) {
        final Tokens tokens = apis.get("/" + appliance).tokens();
        return new Credentials(tokens.username(), tokens.password(), tokens.apiKey());
    }

    private void dispatch(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final SimRequest request;
            final String path = exchange.getRequestURI().getPath();
            exchange.getRequestHeaders().keySet().forEach(name -> headersReceived.add(name.toLowerCase(Locale.ROOT)));
            if (path.startsWith("/_sim/")) {
                send(exchange, control(exchange, path.substring("/_sim/".length())));
                return;
            }
            final String prefix = prefixOf(path);
            final ApplianceApi api = prefix == null ? null : apis.get(prefix);
            if (api == null) {
                send(exchange, SimResponse.json(404, Map.of("message", "no appliance at " + path)));
                return;
            }
            final String appliance = api.appliance.path().substring(1);
            request = capped(request(exchange, path.substring(prefix.length())), faults.pageCap(appliance));
            final Faults.Rule fault = faults.next(appliance, request.method().equals("POST"));
            send(exchange, respond(api, request, fault));
        } catch (final RuntimeException e) {
            // a bug of the simulator, not a simulated fault: say so loudly
            LOG.error("simulator error on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            send(exchange, SimResponse.text(500, "simulator error: " + e));
        }
    }

    private SimResponse respond(final ApplianceApi api, final SimRequest request, final Faults.Rule fault) {
        if (fault == null) {
            return api.handle(request, clock.instant(), false);
        }
        switch (fault.kind()) {
            case LATENCY -> pause(Duration.ofMillis(fault.latencyMs() == null ? 1000 : fault.latencyMs()));
            case TIMEOUT -> {
                pause(fault.latencyMs() == null ? DEFAULT_TIMEOUT_HOLD : Duration.ofMillis(fault.latencyMs()));
                return null; // close without an answer
            }
            case SERVER_ERROR -> {
                return api.error(500, "UnknownError", "simulated server error");
            }
            case THROTTLE -> {
                final int after = fault.retryAfterSeconds() == null ? 2 : fault.retryAfterSeconds();
                final SimResponse throttled = api instanceof VspcApi
                        ? SimResponse.json(429, Map.of("errors", List.of(Map.of("message", "too many requests",
                        "type", "transport", "code", 429, "retryAfter", after))))
                        : api.error(429, "TooManyRequests", "too many requests");
                return throttled.withHeader("Retry-After", String.valueOf(after));
            }
            case REVOKE_TOKEN -> {
                api.tokens().revokeAll();
                return api.error(401, "InvalidToken", "the access token was revoked");
            }
            case ASYNC -> {
                if (api instanceof VspcApi vspc && api.tokens().check(request.bearer()) == null) {
                    return vspc.startAsync(request);
                }
            }
            default -> {
                // the remaining kinds change a real answer, below
            }
        }
        final SimResponse answer = api.handle(request, clock.instant(), fault.kind() == Faults.Kind.SHIFT_COLLECTION);
        return switch (fault.kind()) {
            case MALFORMED_JSON -> answer.withBody("{\"data\": [ {\"oops\" ".getBytes(StandardCharsets.UTF_8));
            case TRUNCATED_BODY -> answer.withHeader("X-Sim-Truncate", String.valueOf(answer.body().length / 2));
            default -> answer;
        };
    }

    /**
     * A page request as a capped appliance serves it: asking for more than {@code cap} items (or for all, {@code -1},
     * or for the product's default) gets {@code cap}, as real appliances cap their own page sizes.
     */
    private static SimRequest capped(final SimRequest request, final Integer cap) {
        if (cap == null || !request.method().equals("GET")) {
            return request;
        }
        final String asked = request.param("limit");
        int limit;
        try {
            limit = asked == null ? -1 : Integer.parseInt(asked.trim());
        } catch (final NumberFormatException e) {
            return request; // the product answers 400 for it
        }
        final Map<String, String> query = new LinkedHashMap<>(request.query());
        query.put("limit", String.valueOf(limit < 0 || limit > cap ? cap : limit));
        return new SimRequest(request.method(), request.path(), query, request.headers(), request.form());
    }

    /** {@code /aws/acme/api/...} → {@code /aws/acme}; {@code /vac/v2/...} → {@code /vac}. */
    private static String prefixOf(final String path) {
        final String[] parts = path.split("/");
        if (parts.length < 2) {
            return null;
        }
        return switch (parts[1]) {
            case "aws", "azure" -> parts.length < 3 ? null : "/" + parts[1] + "/" + parts[2];
            case "vac", "vspc" -> "/" + parts[1];
            default -> null;
        };
    }

    private SimResponse control(final HttpExchange exchange, final String what) throws IOException {
        final Map<String, String> query = SimRequest.parseForm(exchange.getRequestURI().getRawQuery(), false);
        switch (what) {
            case "fleet" -> {
                return SimResponse.json(200, fleetView());
            }
            case "truth" -> {
                if (query.containsKey("report")) {
                    final YearMonth month = YearMonth.parse(query.get("report"));
                    return SimResponse.json(200, Map.of("report", month.toString(),
                            "status", reports.report(month, clock.instant()).status(),
                            "variances", reports.variances(month, clock.instant())));
                }
                final Fleet.Series series = fleet.series(query.getOrDefault("series", ""));
                if (series == null) {
                    return SimResponse.json(404, Map.of("message", "no series '" + query.get("series")
                            + "'; GET /_sim/fleet lists them"));
                }
                return SimResponse.json(200, truth(series, Instant.parse(query.get("from")),
                        Instant.parse(query.get("to"))));
            }
            case "reports" -> {
                if (exchange.getRequestMethod().equals("DELETE")) {
                    reports.clear();
                } else if (exchange.getRequestMethod().equals("POST")) {
                    final JsonNode body = SimResponse.JSON.readTree(exchange.getRequestBody());
                    if (body.hasNonNull("approve")) {
                        reports.approve(YearMonth.parse(body.get("approve").asText()));
                    } else {
                        reports.add(SimResponse.JSON.treeToValue(body, LicenseReports.Adjustment.class));
                    }
                }
                return SimResponse.json(200, Map.of("ok", true, "forbiddenCalls", forbiddenCalls()));
            }
            case "faults" -> {
                if (exchange.getRequestMethod().equals("DELETE")) {
                    faults.clear();
                } else if (exchange.getRequestMethod().equals("POST")) {
                    faults.add(SimResponse.JSON.readValue(exchange.getRequestBody(), Faults.Rule.class));
                }
                return SimResponse.json(200, Map.of("ok", true));
            }
            case "clock" -> {
                if (exchange.getRequestMethod().equals("POST")) {
                    final JsonNode body = SimResponse.JSON.readTree(exchange.getRequestBody());
                    if (body.hasNonNull("now")) {
                        clock.set(Instant.parse(body.get("now").asText()));
                    }
                    if (body.hasNonNull("speed")) {
                        clock.speed(body.get("speed").asDouble());
                    }
                }
                return SimResponse.json(200, Map.of("now", clock.instant().toString(), "speed", clock.speed()));
            }
            default -> {
                return SimResponse.json(404, Map.of("message", "no /_sim/" + what));
            }
        }
    }

    private Map<String, Object> fleetView() {
        final List<Map<String, Object>> appliances = new ArrayList<>();
        fleet.appliances().values().forEach(appliance -> {
            final Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", appliance.path().substring(1));
            view.put("kind", appliance.kind());
            view.put("path", appliance.path());
            view.put("tenant", appliance.tenant() == null ? "" : appliance.tenant());
            view.put("dialect", appliance.dialect());
            appliances.add(view);
        });
        final List<Map<String, Object>> series = new ArrayList<>();
        fleet.series().forEach(s -> series.add(Map.of("key", s.key(), "appliance", s.appliance(), "scope", s.scope(),
                "type", s.type(), "weight", s.weight())));
        return Map.of("now", clock.instant().toString(), "tenants", fleet.tenants(), "appliances", appliances,
                "series", series);
    }

    /** The level of a series at {@code from}, then every hour at which any figure changes, up to {@code to}. */
    private Map<String, Object> truth(final Fleet.Series series, final Instant from, final Instant to) {
        final List<Map<String, Object>> points = new ArrayList<>();
        Map<String, BigDecimal> last = null;
        for (Instant at = from; !at.isAfter(to);
             at = at.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1))) {
            final Map<String, BigDecimal> now = fleet.snapshot(series, at);
            if (!now.equals(last)) {
                points.add(Map.of("at", at.toString(), "figures", now));
                last = now;
            }
        }
        return Map.of("series", series.key(), "from", from.toString(), "to", to.toString(), "points", points);
    }

    private static SimRequest request(final HttpExchange exchange, final String path) throws IOException {
        final Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        final String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final URI uri = exchange.getRequestURI();
        return new SimRequest(exchange.getRequestMethod(), path, SimRequest.parseForm(uri.getRawQuery(), true),
                headers, SimRequest.parseForm(body, false));
    }

    private static void send(final HttpExchange exchange, final SimResponse response) throws IOException {
        if (response == null) {
            return; // a simulated timeout: the connection closes without an answer
        }
        response.headers().forEach((name, value) -> {
            if (!name.equals("X-Sim-Truncate")) {
                exchange.getResponseHeaders().set(name, value);
            }
        });
        final String truncate = response.headers().get("X-Sim-Truncate");
        exchange.sendResponseHeaders(response.status(), response.body().length);
        final OutputStream out = exchange.getResponseBody();
        if (truncate != null) {
            // the promised length, half the bytes, then the connection drops: the JDK server closes the
            // connection when a handler fails, so the failure must escape
            out.write(response.body(), 0, Integer.parseInt(truncate));
            out.flush();
            throw new IOException("simulated truncated body");
        }
        try (out) {
            out.write(response.body());
        } catch (final IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private static void pause(final Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // simulating a slow server is this code's job
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
