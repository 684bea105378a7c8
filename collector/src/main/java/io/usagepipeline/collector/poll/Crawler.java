package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.ReadOnlyHttp;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.SourceKind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one poll target completely, or fails. Paged endpoints are read from the offset reached so far until the
 * reported total is held, whatever page size the server chose (appliances cap it below the asked limit); every item
 * is counted once by id. An empty page before the total, a total that changes, an item that shows up twice (the
 * collection shifted between pages) or another offset than asked starts the crawl over once; if it is still
 * inconsistent the poll fails. A short snapshot is never returned. Every page is kept exactly as received.
 */
final class Crawler {

    private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);
    private static final Duration ASYNC_POLL = Duration.ofMillis(200);

    /** Every page as received ({@link Json#verbatim}), and how many distinct items they hold. */
    record Crawl(List<JsonNode> pages, int itemCount) {
    }

    private final Source source;
    private final ReadOnlyHttp http;
    private final Session session;
    private final Retrier retrier;
    private final PollSettings settings;
    private final Clock clock;

    Crawler(final Source source, final ReadOnlyHttp http, final Session session, final Retrier retrier,
            final PollSettings settings, final Clock clock) {
        this.source = source;
        this.http = http;
        this.session = session;
        this.retrier = retrier;
        this.settings = settings;
        this.clock = clock;
    }

    Crawl crawl(final Endpoint endpoint, final String scope, final Instant deadline)
            throws PollFailure, InterruptedException {
        return switch (endpoint) {
            case BACKUP_SERVER_USAGE, CLOUD_CONNECT_USAGE -> unpaged("/v2/tenants/" + pathSegment(scope)
                    + "/licensing/" + endpoint.wireName(), deadline);
            case LICENSED_WORKLOADS -> paged(new Paging("/api/v1/licensing/licensedWorkloads", "Offset", "Limit",
                    "results", item -> item.path("id"), page -> page.path("totalCount"), page -> null), deadline);
            case LICENSE_RESOURCES -> paged(new Paging("/api/v1/license/resources", "offset", "limit", "results",
                    item -> item.path("id"), page -> page.path("totalCount"), page -> page.path("offset")), deadline);
            case BACKUP_SERVERS -> paged(vspc("/api/v3/licensing/backupServers", item -> item.path("backupServerUid")),
                    deadline);
            case ORGANIZATION_USAGE -> paged(vspc("/api/v3/licensing/usage/organizations",
                    item -> item.path("organizationUid")), deadline);
            // month M's report is generated on the 1st of M+1; the collection holds the reports of that date
            case LICENSE_REPORT -> paged(vspc("/api/v3/licensing/reports/"
                    + YearMonth.parse(scope).plusMonths(1).atDay(1),
                    item -> item.path("reportParemeters").path("reportId")), deadline);
        };
    }

    /** VSPC's collections: {@code offset} and {@code limit}, items under {@code data}, {@code meta.pagingInfo}. */
    private static Paging vspc(final String path, final Function<JsonNode, JsonNode> itemId) {
        return new Paging(path, "offset", "limit", "data", itemId,
                page -> page.path("meta").path("pagingInfo").path("total"),
                page -> page.path("meta").path("pagingInfo").path("offset"));
    }

    /** VAC: the ids of every tenant {@code /v2/tenants} lists. */
    List<String> vacTenantIds(final Instant deadline) throws PollFailure, InterruptedException {
        final JsonNode tenants = fetch("/v2/tenants", deadline, settings.maxPollBytes()).json();
        if (!tenants.isArray()) {
            throw new PollFailure("MALFORMED_ANSWER", 200, "/v2/tenants: expected a JSON array");
        }
        final List<String> ids = new ArrayList<>();
        tenants.forEach(tenant -> ids.add(tenant.path("id").asText()));
        return ids;
    }

    /** A VAC tenant id as one path segment: an id from {@code discover} may hold a space or a slash. */
    static String pathSegment(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** How a product pages: parameter names, where the items, ids, total and echoed offset are. */
    private record Paging(String path, String offsetParam, String limitParam, String itemsField,
                          Function<JsonNode, JsonNode> itemId,
                          Function<JsonNode, JsonNode> total, Function<JsonNode, JsonNode> echoedOffset) {
    }

    private Crawl unpaged(final String path, final Instant deadline) throws PollFailure, InterruptedException {
        final Answer page = fetch(path, deadline, settings.maxPollBytes());
        if (!page.json().isArray()) {
            throw new PollFailure("MALFORMED_ANSWER", 200, path + ": expected a JSON array");
        }
        return new Crawl(List.of(Json.verbatim(page.body())), page.json().size());
    }

    private Crawl paged(final Paging paging, final Instant deadline) throws PollFailure, InterruptedException {
        String problem = null;
        for (int round = 1; round <= 2; round++) {
            final List<JsonNode> pages = new ArrayList<>();
            final Set<String> ids = new HashSet<>();
            // what the pages may still weigh: more could not be published as one raw record
            long bytesLeft = settings.maxPollBytes();
            long total = -1;
            problem = null;
            int offset = 0;
            while (problem == null && (total < 0 || offset < total)) {
                final Answer answer = fetch(paging.path() + "?" + paging.offsetParam() + "=" + offset + "&"
                        + paging.limitParam() + "=" + source.pageSize(), deadline, Math.max(1, bytesLeft));
                final JsonNode page = answer.json();
                final JsonNode items = page.path(paging.itemsField());
                final JsonNode reported = paging.total().apply(page);
                if (!items.isArray() || !reported.canConvertToLong()) {
                    throw new PollFailure("MALFORMED_ANSWER", 200, paging.path() + ": a page without '"
                            + paging.itemsField() + "' or its total");
                }
                problem = pageProblem(paging, page, offset, total, items, ids);
                total = reported.asLong();
                pages.add(Json.verbatim(answer.body()));
                bytesLeft -= answer.body().getBytes(StandardCharsets.UTF_8).length;
                offset += items.size();
            }
            if (problem == null && ids.size() != total) {
                problem = "read " + ids.size() + " items but the server reported " + total;
            }
            if (problem == null) {
                return new Crawl(pages, ids.size());
            }
            LOG.info("source {}: {} {}; {}", source.id(), paging.path(), problem,
                    round == 1 ? "reading it again" : "giving up");
        }
        throw new PollFailure("INCONSISTENT_PAGES", null, paging.path() + ": " + problem
                + " (also after reading it again)");
    }

    /** Why a page does not continue the crawl consistently, or null; records its item ids. */
    private static String pageProblem(final Paging paging, final JsonNode page, final int offset, final long total,
                                      final JsonNode items, final Set<String> ids) {
        final JsonNode echoed = paging.echoedOffset().apply(page);
        if (echoed != null && echoed.canConvertToInt() && echoed.asInt() != offset) {
            return "the server answered offset " + echoed.asInt() + " when asked for " + offset;
        }
        final long reported = paging.total().apply(page).asLong();
        if (total >= 0 && total != reported) {
            return "the total changed from " + total + " to " + reported + " during the crawl";
        }
        if (items.isEmpty() && offset < reported) {
            return "an empty page at offset " + offset + " before the reported total " + reported;
        }
        for (final JsonNode item : items) {
            final String id = paging.itemId().apply(item).asText();
            if (!ids.add(id)) {
                return "item " + id + " came twice: the collection shifted between pages";
            }
        }
        return null;
    }

    /**
     * One GET that answers 200, after retries, a re-login on 401 and VSPC's async actions; an answer over
     * {@code maxBytes} fails the poll as {@code TOO_LARGE}.
     */
    private Answer fetch(final String pathAndQuery, final Instant deadline, final long maxBytes)
            throws PollFailure, InterruptedException {
        final URI uri = URI.create(source.baseUrl() + pathAndQuery);
        for (int login = 1; login <= 2; login++) {
            final Map<String, String> headers = headers(deadline);
            Answer answer = get(source.id() + " " + pathAndQuery, uri, headers, deadline, maxBytes);
            if (answer.status() == 401) {
                session.invalidate(); // expired early or revoked: log in again from scratch
                continue;
            }
            if (answer.status() == 202 && answer.location().isPresent()) {
                answer = awaitAsync(asyncAction(uri, answer.location().get()), deadline, maxBytes);
            }
            if (!answer.ok()) {
                throw new PollFailure("HTTP", answer.status(), source.id() + " " + pathAndQuery + ": HTTP "
                        + answer.status() + " " + ErrorBodies.describe(answer));
            }
            if (answer.json() == null) {
                throw new PollFailure("MALFORMED_ANSWER", answer.status(), source.id() + " " + pathAndQuery
                        + ": HTTP " + answer.status() + " without a JSON body");
            }
            return answer;
        }
        throw new PollFailure("AUTH", 401, source.id() + " " + pathAndQuery + ": " + refused());
    }

    /** Why a request was refused with a token just granted: what a person can check. */
    private String refused() {
        if (source.apiKey() != null) {
            // no session to renew: the key itself is refused
            return "the API key was refused (expired, revoked or mistyped? a key rotated in auth.apiKeyFile is read "
                    + "again at every request)";
        }
        return "refused a fresh token too" + (source.kind() == SourceKind.VAC || source.kind() == SourceKind.VSPC
                ? " (VAC and VSPC sessions of one user can log each other out: does another collector or script log "
                + "in as " + source.username() + "? Give each its own account, auth.usernameEnv)" : "");
    }

    private Answer get(final String what, final URI uri, final Map<String, String> headers, final Instant deadline,
                       final long maxBytes) throws PollFailure, InterruptedException {
        return retrier.call(what, () -> Answer.of(http.get(uri, headers,
                Retrier.within(settings.requestTimeout(), deadline, clock), maxBytes)), deadline);
    }

    /**
     * An async action's {@code Location}, resolved against the request it answered (as HTTP resolves a relative
     * one): followed only on the source's own origin, since every request carries the source's bearer token. VSPC
     * answers its own path, {@code /api/v3/asyncActions/{id}}, knowing nothing of a reverse proxy's path in front of
     * it ({@code https://gateway.example/vspc}): such a path is taken under the source's, where the proxy serves it,
     * rather than at the gateway's root.
     */
    private URI asyncAction(final URI request, final String location) throws PollFailure {
        final URI base = source.baseUrl();
        final URI target;
        try {
            target = request.resolve(underProxyPath(base, location));
        } catch (final IllegalArgumentException e) {
            throw new PollFailure("FOREIGN_LOCATION", 202, source.id() + ": the async action's Location '"
                    + location + "' is not a URL");
        }
        if (!ReadOnlyHttp.sameOrigin(base, target)) {
            throw new PollFailure("FOREIGN_LOCATION", 202, source.id() + ": the async action's Location "
                    + target + " is not on the source's origin " + base.getScheme() + "://" + base.getAuthority()
                    + "; not following it with the source's token");
        }
        return target;
    }

    private static String underProxyPath(final URI base, final String location) {
        final String proxyPath = base.getRawPath() == null ? "" : base.getRawPath();
        final boolean absolutePath = location.startsWith("/") && !location.startsWith("//");
        return absolutePath && !proxyPath.isEmpty() && !location.startsWith(proxyPath + "/")
                ? proxyPath + location : location;
    }

    /** Polls a VSPC async action until it succeeds, then reads its result. */
    private Answer awaitAsync(final URI action, final Instant deadline, final long maxBytes)
            throws PollFailure, InterruptedException {
        while (clock.instant().isBefore(deadline)) {
            final Map<String, String> headers = headers(deadline);
            final Answer state = get(source.id() + " async action", action, headers, deadline, maxBytes);
            final String status = readStatus(state);
            if (status.equals("succeed")) {
                return get(source.id() + " async result", URI.create(action + "/result"), headers, deadline,
                        maxBytes);
            }
            if (!status.equals("running")) {
                throw new PollFailure("ASYNC", state.status(), source.id() + ": async action ended " + status);
            }
            Thread.sleep(ASYNC_POLL.toMillis()); // the server is working: ask again shortly
        }
        throw new PollFailure("TIMEOUT", null, source.id() + ": the async action did not finish before the deadline");
    }

    private static String readStatus(final Answer state) {
        return state.json() == null ? "unreadable" : state.json().path("data").path("status").asText("unknown");
    }

    private Map<String, String> headers(final Instant deadline) throws PollFailure, InterruptedException {
        final Map<String, String> headers = new HashMap<>(session.productHeaders());
        headers.put("Authorization", "Bearer " + session.bearer(deadline));
        return headers;
    }
}
