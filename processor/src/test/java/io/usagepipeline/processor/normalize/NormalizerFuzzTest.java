package io.usagepipeline.processor.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.processor.Polls;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.TenantDirectory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 mutated and random payloads of every endpoint: each is either normalized into well-formed observations (or
 * report lines) or refused with a {@link MalformedPayloadException} that says why. Nothing else may escape: in the topology any
 * other exception would stop the processor instead of sending the poll to the DLQ.
 */
class NormalizerFuzzTest {

    private static final Instant AT = Instant.parse("2026-03-10T10:00:00Z");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<Endpoint, String> SEEDS = Map.of(
            Endpoint.LICENSED_WORKLOADS, "aws-licensedWorkloads.json",
            Endpoint.LICENSE_RESOURCES, "azure-licenseResources.json",
            Endpoint.BACKUP_SERVER_USAGE, "vac-backupServerUsage.json",
            Endpoint.CLOUD_CONNECT_USAGE, "vac-cloudConnectUsage.json",
            Endpoint.BACKUP_SERVERS, "vspc-backupServers.json",
            Endpoint.ORGANIZATION_USAGE, "vspc-organizationUsage.json",
            Endpoint.LICENSE_REPORT, "vspc-licenseReport.json");

    private final Normalizer normalizer = new Normalizer(TenantDirectory.empty(), ProcessorConfig.DEFAULT_MAX_UNITS);
    private final ReportReader reports = new ReportReader(TenantDirectory.empty());

    @Test
    void shouldNormalizeOrRefuseWithAReasonEveryPayload() {
        final Random random = new Random(20261124);
        final Endpoint[] endpoints = Endpoint.values();
        assertThat(SEEDS).as("a seed of every endpoint").hasSize(endpoints.length);
        int normalized = 0;
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            final Endpoint endpoint = endpoints[i % endpoints.length];
            final JsonNode page = i % 10 == 9 ? randomNode(random, 3) : mutate(Polls.seed(SEEDS.get(endpoint)), random);
            try {
                final RawPoll poll = Polls.complete("src", endpoint, endpoint == Endpoint.LICENSE_REPORT ? "2026-10"
                        : endpoint.sourceKind().name().equals("VAC") ? "7" : null, "t", AT, page);
                if (endpoint == Endpoint.LICENSE_REPORT) {
                    reports.read(poll).forEach(line -> {
                        assertThat(line.usedPoints()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
                        assertThat(line.initialCount()).isNotNegative();
                        assertThat(line.month()).matches("\\d{4}-\\d{2}");
                    });
                    normalized++;
                    continue;
                }
                final List<Observation> observations = normalizer.normalize(poll);
                observations.forEach(o -> {
                    assertThat(o.units()).as("units of %s", page).isGreaterThanOrEqualTo(BigDecimal.ZERO);
                    assertThat(o.count()).isNotNegative();
                    assertThat(o.seriesKey()).isNotBlank();
                });
                normalized++;
            } catch (final MalformedPayloadException e) {
                assertThat(e.getMessage()).as("a reason").containsAnyOf("page 1", "processor.maxUnits");
                refused++;
            }
        }
        // both outcomes are exercised in earnest
        assertThat(normalized).isGreaterThan(1_000);
        assertThat(refused).isGreaterThan(1_000);
    }

    /** One to three random edits anywhere in the tree: removals, wrong types, odd numbers, strings, nulls. */
    private static JsonNode mutate(final JsonNode seed, final Random random) {
        final JsonNode copy = seed.deepCopy();
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            final List<JsonNode> containers = new ArrayList<>();
            collect(copy, containers);
            final JsonNode target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode object && object.size() > 0) {
                final List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                final String name = names.get(random.nextInt(names.size()));
                if (random.nextInt(4) == 0) {
                    object.remove(name);
                } else {
                    object.set(name, randomNode(random, 1));
                }
            } else if (target instanceof ArrayNode array && array.size() > 0) {
                array.set(random.nextInt(array.size()), randomNode(random, 2));
            }
        }
        return copy;
    }

    private static void collect(final JsonNode node, final List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (final Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    private static JsonNode randomNode(final Random random, final int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(random.nextInt(200) - 100);
            case 2 -> NODES.numberNode(new BigDecimal(random.nextGaussian() * 1e6).setScale(random.nextInt(8),
                    RoundingMode.HALF_EVEN));
            case 3 -> NODES.textNode(random.nextBoolean() ? "12.5" : "not a number");
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.textNode("");
            case 6 -> NODES.numberNode(new BigDecimal("1e400"));
            case 7 -> {
                final ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomNode(random, depth - 1));
                }
                yield array;
            }
            default -> {
                final ObjectNode object = NODES.objectNode();
                for (final String name : List.of("type", "id", "results", "data", "usedInstances", "usedUnits",
                        "cost", "company")) {
                    if (random.nextBoolean()) {
                        object.set(name, randomNode(random, depth - 1));
                    }
                }
                yield object;
            }
        };
    }
}
