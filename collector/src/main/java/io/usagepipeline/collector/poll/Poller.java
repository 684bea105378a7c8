package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.ReadOnlyHttp;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.SourceKind;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the targets of one source and turns each poll into a raw event: COMPLETE with every page when the crawl
 * read the whole collection consistently, FAILED with the reason otherwise. Never a short COMPLETE.
 */
public final class Poller {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Source source;
    private final Crawler crawler;
    private final Retrier retrier;
    private final PollSettings settings;
    private final Clock clock;
    /** VSPC: the months whose license report was seen approved. */
    private final Set<String> approvedReports = ConcurrentHashMap.newKeySet();
    /** VAC: billing tenant → the entries of the source's mapping that bill to it. */
    private final Map<String, Map<String, String>> vacEntriesByTenant;

    public Poller(final Source source, final PollSettings settings, final Clock clock)
            throws GeneralSecurityException, IOException {
        this.source = source;
        this.settings = settings;
        this.clock = clock;
        this.vacEntriesByTenant = source.tenants().entrySet().stream().collect(Collectors.groupingBy(
                Map.Entry::getValue, Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
        final ReadOnlyHttp http = new ReadOnlyHttp(source.id(), Session.tokenUri(source), source.tls(),
                source.proxy(), source.proxyLogin(), settings.requestTimeout());
        this.retrier = new Retrier(settings.maxAttempts(), settings.baseDelay(), settings.maxDelay(),
                Clock.systemUTC(), new Random());
        this.crawler = new Crawler(source, http, new Session(source, http, Clock.systemUTC(),
                settings.requestTimeout(), retrier), retrier, settings, Clock.systemUTC());
    }

    public Source source() {
        return source;
    }

    /**
     * The (endpoint, scope) targets of this source for a slot. A VAC source with {@code discover: true} also polls
     * every tenant {@code /v2/tenants} lists; if that list cannot be read, the configured tenants are polled as usual.
     * A VSPC source with {@code reports: true} also polls the usage per organization, and the license reports of the
     * two months before the slot's (generated on the 1st of this month and of the last) until each is approved.
     */
    public List<Target> targets(final Instant slotStart) throws InterruptedException {
        return switch (source.kind()) {
            case VBA_AWS -> List.of(new Target(Endpoint.LICENSED_WORKLOADS, RawPoll.NO_SCOPE));
            case VBA_AZURE -> List.of(new Target(Endpoint.LICENSE_RESOURCES, RawPoll.NO_SCOPE));
            case VSPC -> vspcTargets(slotStart);
            case VAC -> vacTenants().stream().flatMap(tenant -> Stream.of(
                    new Target(Endpoint.BACKUP_SERVER_USAGE, tenant),
                    new Target(Endpoint.CLOUD_CONNECT_USAGE, tenant))).toList();
        };
    }

    private List<Target> vspcTargets(final Instant slotStart) {
        final List<Target> targets = new ArrayList<>(List.of(new Target(Endpoint.BACKUP_SERVERS, RawPoll.NO_SCOPE)));
        if (source.reports()) {
            targets.add(new Target(Endpoint.ORGANIZATION_USAGE, RawPoll.NO_SCOPE));
            final YearMonth current = YearMonth.from(slotStart.atOffset(ZoneOffset.UTC));
            for (final YearMonth month : List.of(current.minusMonths(2), current.minusMonths(1))) {
                if (!approvedReports.contains(month.toString())) {
                    targets.add(new Target(Endpoint.LICENSE_REPORT, month.toString()));
                }
            }
        }
        return targets;
    }

    /**
     * Remembers a month whose report came back approved: it no longer changes, so it is not asked for again (after a
     * restart, once more). A report not generated yet, or one still awaiting approval, is asked for every slot.
     */
    private void noteApproval(final Target target, final RawPoll poll) {
        if (target.endpoint() != Endpoint.LICENSE_REPORT || poll.status() != PollStatus.COMPLETE) {
            return;
        }
        final List<JsonNode> reports = new ArrayList<>();
        for (final JsonNode page : poll.pages()) {
            try {
                // pages are kept verbatim (unparsed) for publishing; a report's page is small
                Json.readStrict(Json.mapper().writeValueAsString(page)).path("data").forEach(reports::add);
            } catch (final IOException e) {
                return; // the crawl parsed it already; unreadable now would be a bug, and asking again is harmless
            }
        }
        if (!reports.isEmpty() && reports.stream().allMatch(report ->
                ReportStatus.of(report.path("reportStatus").asText()).isFinal())) {
            // said once: a slot owed while the first poll ran may have asked for the report again meanwhile
            if (approvedReports.add(target.scope())) {
                LOG.info("source {}: the license report of {} is approved; no longer polling it", source.id(),
                        target.scope());
            }
        }
    }

    private SortedSet<String> vacTenants() throws InterruptedException {
        final SortedSet<String> tenants = new TreeSet<>(source.tenants().keySet());
        if (source.discover()) {
            try {
                tenants.addAll(crawler.vacTenantIds(Instant.now().plus(settings.pollDeadline())));
            } catch (final PollFailure e) {
                LOG.warn("source {}: cannot list its tenants ({}); polling the configured ones", source.id(),
                        e.getMessage());
            }
        }
        return tenants;
    }

    /** One poll target of a source. */
    public record Target(Endpoint endpoint, String scope) {
    }

    /**
     * The mapping a poll of {@code scope} carries ({@code RawPoll.tenantMap}). A VSPC poll reads every company, so it
     * carries all of {@code companies}. A VAC poll reads one VAC tenant, so it carries only the entries that bill to
     * that tenant's billing tenant: its own, and any other VAC id billed to the same tenant, which the processor needs
     * to keep their series apart. The whole map in each of thousands of per-tenant polls would make the raw topic
     * mostly copies of it.
     */
    private Map<String, String> tenantMap(final String scope) {
        if (source.kind() != SourceKind.VAC) {
            return source.tenantMap();
        }
        final String tenant = source.tenants().get(scope);
        return tenant == null ? Map.of() : vacEntriesByTenant.get(tenant);
    }

    /** Polls one target for one slot; the poll's timestamp is the clock's "now" when it started. */
    public RawPoll poll(final Target target, final Instant slotStart) throws InterruptedException {
        final Instant polledAt = clock.instant();
        final String pollTarget = Keys.pollTarget(source.id(), target.endpoint(), target.scope());
        final Map<String, String> tenantMap = tenantMap(target.scope());
        final String tenant = source.kind() == SourceKind.VAC ? source.tenants().get(target.scope())
                : source.tenant();
        try {
            final Crawler.Crawl crawl = crawler.crawl(target.endpoint(), target.scope(),
                    Instant.now().plus(settings.pollDeadline()));
            final RawPoll poll = new RawPoll(null, Ids.pollId(pollTarget, slotStart), source.id(), source.kind(),
                    target.endpoint(), target.scope(), tenant, slotStart, polledAt, PollStatus.COMPLETE, null,
                    crawl.pages(), crawl.itemCount(), tenantMap);
            noteApproval(target, poll);
            return poll;
        } catch (final PollFailure failure) {
            return new RawPoll(null, Ids.pollId(pollTarget, slotStart), source.id(), source.kind(), target.endpoint(),
                    target.scope(), tenant, slotStart, polledAt, PollStatus.FAILED, failure.toError(), List.of(), 0,
                    tenantMap);
        }
    }

    /** Retries made so far by this source's requests. */
    public int retries() {
        return retrier.retries();
    }
}
