package io.usagepipeline.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PollError;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/** Fixture factory of raw polls as the collector publishes them. */
public final class Polls {

    private Polls() {
    }

    /** A COMPLETE poll of one target, slot = the poll instant. */
    public static RawPoll complete(final String sourceId, final Endpoint endpoint, final String scope,
                                   final String tenantId, final Instant at, final JsonNode... pages) {
        final String target = Keys.pollTarget(sourceId, endpoint, scope);
        return new RawPoll(null, Ids.pollId(target, at), sourceId, endpoint.sourceKind(), endpoint, scope, tenantId,
                at, at, PollStatus.COMPLETE, null, List.of(pages), 0, null);
    }

    public static RawPoll failed(final String sourceId, final Endpoint endpoint, final String scope,
                                 final String tenantId, final Instant at) {
        final String target = Keys.pollTarget(sourceId, endpoint, scope);
        return new RawPoll(null, Ids.pollId(target, at), sourceId, endpoint.sourceKind(), endpoint, scope, tenantId,
                at, at, PollStatus.FAILED, new PollError("HTTP", 520, "server error"), List.of(), 0, null);
    }

    /** An AWS poll of {@code workloads} protected instances for tenant acme. */
    public static RawPoll aws(final Instant at, final int workloads) {
        return aws("aws-acme", "acme", at, workloads);
    }

    /** An AWS poll of {@code workloads} protected instances from one appliance ({@code sourceId}) of a tenant. */
    public static RawPoll aws(final String sourceId, final String tenantId, final Instant at, final int workloads) {
        final StringJoiner results = new StringJoiner(",");
        for (int i = 0; i < workloads; i++) {
            results.add("{\"id\":\"vm-" + i + "\",\"name\":\"vm-" + i + "\",\"_links\":[]}");
        }
        return complete(sourceId, Endpoint.LICENSED_WORKLOADS, null, tenantId, at,
                json("{\"totalCount\":" + workloads + ",\"results\":[" + results + "],\"_links\":[]}"));
    }

    /** A VAC backup-server poll of tenant 2 with the given used instances per type ({@code "A", 2, "B", 1, ...}). */
    public static RawPoll vac(final Instant at, final Object... typesAndUnits) {
        final StringJoiner items = new StringJoiner(",");
        for (int i = 0; i < typesAndUnits.length; i += 2) {
            items.add("{\"type\":\"" + typesAndUnits[i] + "\",\"rentalInstances\":0,\"newInstances\":0,"
                    + "\"usedInstances\":" + typesAndUnits[i + 1] + ",\"rentalCount\":0,\"newCount\":0,\"usedCount\":"
                    + typesAndUnits[i + 1] + "}");
        }
        return complete("vac-eu", Endpoint.BACKUP_SERVER_USAGE, "2", null, at, json("[" + items + "]"));
    }

    public static JsonNode seed(final String name) {
        return json(seedText(name));
    }

    public static String seedText(final String name) {
        try (InputStream in = Polls.class.getResourceAsStream("/seeds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(final String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
