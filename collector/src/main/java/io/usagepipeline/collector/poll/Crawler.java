package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.ReadOnlyHttp;
import io.usagepipeline.events.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one poll target completely, or fails. Paged endpoints are read until the reported total is reached or a page
 * comes back short or empty; every item is counted once by id. When the total changes, an item shows up twice (the
 * collection shifted between pages) or the server answers another offset than asked, the crawl starts over once;
 * if it is still inconsistent the poll fails. A short snapshot is never returned.
 */
final class Crawler {

    private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);
    private static final Duration ASYNC_POLL = Duration.ofMillis(200);

    /** Every page as received, and how many distinct items they hold. */
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
            case BACKUP_SERVER_USAGE, CLOUD_CONNECT_USAGE -> unpaged("/v2/tenants/" + scope + "/licensing/"
                    + endpoint.wireName(), deadline);
            case LICENSED_WORKLOADS -> paged(new Paging("/api/v1/licensing/licensedWorkloads", "Offset", "Limit",
                    "results", "id", page -> page.path("totalCount"), page -> null), deadline);
            case LICENSE_RESOURCES -> paged(new Paging("/api/v1/license/resources", "offset", "limit", "results",
                    "id", page -> page.path("totalCount"), page -> page.path("offset")), deadline);
            case BACKUP_SERVERS -> paged(new Paging("/api/v3/licensing/backupServers", "offset", "limit", "data",
                    "backupServerUid", page -> page.path("meta").path("pagingInfo").path("total"),
                    page -> page.path("meta").path("pagingInfo").path("offset")), deadline);
        };
    }

    /** VAC: the ids of every tenant {@code /v2/tenants} lists. */
    List<String> vacTenantIds(final Instant deadline) throws PollFailure, InterruptedException {
        final JsonNode tenants = fetch("/v2/tenants", deadline);
        if (!tenants.isArray()) {
            throw new PollFailure("MALFORMED_ANSWER", 200, "/v2/tenants: expected a JSON array");
        }
        final List<String> ids = new ArrayList<>();
        tenants.forEach(tenant -> ids.add(tenant.path("id").asText()));
        return ids;
    }

    /** How a product pages: parameter names, where the items, ids, total and echoed offset are. */
    private record Paging(String path, String offsetParam, String limitParam, String itemsField, String idField,
                          java.util.function.Function<JsonNode, JsonNode> total,
                          java.util.function.Function<JsonNode, JsonNode> echoedOffset) {
    }

    private Crawl unpaged(final String path, final Instant deadline) throws PollFailure, InterruptedException {
        final JsonNode page = fetch(path, deadline);
        if (!page.isArray()) {
            throw new PollFailure("MALFORMED_ANSWER", 200, path + ": expected a JSON array");
        }
        return new Crawl(List.of(page), page.size());
    }

    private Crawl paged(final Paging paging, final Instant deadline) throws PollFailure, InterruptedException {
        String problem = null;
        for (int round = 1; round <= 2; round++) {
            final List<JsonNode> pages = new ArrayList<>();
            final Set<String> ids = new HashSet<>();
            Long total = null;
            problem = null;
            int offset = 0;
            while (problem == null) {
                final JsonNode page = fetch(paging.path() + "?" + paging.offsetParam() + "=" + offset + "&"
                        + paging.limitParam() + "=" + settings.pageSize(), deadline);
                final JsonNode items = page.path(paging.itemsField());
                final JsonNode reported = paging.total().apply(page);
                if (!items.isArray() || !reported.canConvertToLong()) {
                    throw new PollFailure("MALFORMED_ANSWER", 200, paging.path() + ": a page without '"
                            + paging.itemsField() + "' or its total");
                }
                final JsonNode echoed = paging.echoedOffset().apply(page);
                if (echoed != null && echoed.canConvertToInt() && echoed.asInt() != offset) {
                    problem = "the server answered offset " + echoed.asInt() + " when asked for " + offset;
                    break;
                }
                if (total != null && total != reported.asLong()) {
                    problem = "the total changed from " + total + " to " + reported.asLong() + " during the crawl";
                    break;
                }
                total = reported.asLong();
                pages.add(page);
                for (final JsonNode item : items) {
                    if (!ids.add(item.path(paging.idField()).asText())) {
                        problem = "item " + item.path(paging.idField()).asText() + " came twice: the collection "
                                + "shifted between pages";
                        break;
                    }
                }
                offset += items.size();
                if (items.isEmpty() || items.size() < settings.pageSize() || offset >= total) {
                    break;
                }
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

    /** One GET that answers 200, after retries, a re-login on 401 and VSPC's async actions. */
    private JsonNode fetch(final String pathAndQuery, final Instant deadline)
            throws PollFailure, InterruptedException {
        final URI uri = URI.create(source.baseUrl() + pathAndQuery);
        for (int login = 1; login <= 2; login++) {
            final Map<String, String> headers = headers();
            Answer answer = retrier.call(source.id() + " " + pathAndQuery,
                    () -> Answer.of(http.get(uri, headers, settings.requestTimeout())), deadline);
            if (answer.status() == 401) {
                session.invalidate(); // expired early or revoked: log in again from scratch
                continue;
            }
            if (answer.status() == 202 && answer.location().isPresent()) {
                answer = awaitAsync(source.baseUrl().resolve(answer.location().get()), deadline);
            }
            if (!answer.ok()) {
                throw new PollFailure("HTTP", answer.status(), source.id() + " " + pathAndQuery + ": HTTP "
                        + answer.status() + " " + ErrorBodies.describe(answer.body()));
            }
            if (answer.json() == null) {
                throw new PollFailure("MALFORMED_ANSWER", answer.status(), source.id() + " " + pathAndQuery
                        + ": HTTP " + answer.status() + " without a JSON body");
            }
            return answer.json();
        }
        throw new PollFailure("AUTH", 401, source.id() + " " + pathAndQuery + ": refused a fresh token too");
    }

    /** Polls a VSPC async action until it succeeds, then reads its result. */
    private Answer awaitAsync(final URI action, final Instant deadline) throws PollFailure, InterruptedException {
        while (clock.instant().isBefore(deadline)) {
            final Map<String, String> headers = headers();
            final Answer state = retrier.call(source.id() + " async action", () -> Answer.of(
                    http.get(action, headers, settings.requestTimeout())), deadline);
            final String status = readStatus(state);
            if (status.equals("succeed")) {
                final URI result = URI.create(action + "/result");
                return retrier.call(source.id() + " async result", () -> Answer.of(
                        http.get(result, headers, settings.requestTimeout())), deadline);
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

    private Map<String, String> headers() throws PollFailure, InterruptedException {
        final Map<String, String> headers = new HashMap<>(session.productHeaders());
        try {
            headers.put("Authorization", "Bearer " + session.bearer());
        } catch (final IOException e) {
            throw new PollFailure("AUTH", null, source.id() + ": cannot log in: " + e.getMessage());
        }
        return headers;
    }
}
