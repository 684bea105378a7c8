package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.collector.CollectorMetrics;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.rating.RaterMetrics;
import io.usagepipeline.sink.SinkMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operations view in {@code docker/}: every metric its alerting rules and its dashboard ask for is one the
 * services expose, every rule says what to do, and Prometheus scrapes every service that serves /metrics.
 */
class OperationsViewTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Pattern METRIC = Pattern.compile("\\busage_[a-z_]+\\b");

    @Test
    void shouldAskOnlyForMetricsTheServicesExpose() throws Exception {
        final Set<String> exposed = exposedMetrics();
        final List<String> asked = new ArrayList<>();
        final JsonNode rules = new YAMLMapper().readTree(DOCKER.resolve("prometheus/alerts.yml").toFile());
        rules.get("groups").forEach(group -> group.get("rules").forEach(rule -> {
            assertThat(rule.path("labels").path("severity").asText()).as(rule.path("alert").asText()).isNotEmpty();
            assertThat(rule.path("annotations").path("description").asText()).as(rule.path("alert").asText())
                    .isNotEmpty();
            asked.addAll(metrics(rule.get("expr").asText()));
        }));
        final JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/dashboards/usage-pipeline.json")
                .toFile());
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(target ->
                asked.addAll(metrics(target.get("expr").asText()))));

        assertThat(asked).hasSizeGreaterThan(10);
        assertThat(new TreeSet<>(asked)).allSatisfy(metric -> assertThat(exposed).as("exposed metrics")
                .contains(metric));
    }

    @Test
    void shouldScrapeEveryServiceThatServesMetrics() throws Exception {
        final String prometheus = Files.readString(DOCKER.resolve("prometheus/prometheus.yml"));
        final JsonNode services = new YAMLMapper().readTree(DOCKER.resolve("compose.yaml").toFile()).get("services");
        final List<String> serving = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            if (service.getValue().path("command").toString().contains("\"--http-port\",\"8080\"")) {
                serving.add(service.getKey());
            }
        });

        assertThat(serving).containsExactlyInAnyOrder("collector", "processor", "rater", "sink");
        assertThat(serving).allSatisfy(service -> assertThat(prometheus).contains("\"" + service + ":8080\""));
        assertThat(services.get("prometheus").get("volumes").toString()).contains("./prometheus:/etc/prometheus");
        assertThat(services.get("grafana").get("volumes").toString()).contains("./grafana/dashboards");
    }

    /** The names the services' metrics have on /metrics (counters with their _total). */
    private static Set<String> exposedMetrics() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProcessorMetrics(registry, Clock.systemUTC());
        new RaterMetrics(registry);
        new SinkMetrics(registry, Clock.systemUTC());
        final Instant now = Instant.now();
        new CollectorMetrics(registry, Clock.systemUTC()).polled(new RawPoll(null,
                Ids.pollId(Keys.pollTarget("a-source", Endpoint.LICENSED_WORKLOADS, null), now), "a-source",
                SourceKind.VBA_AWS, Endpoint.LICENSED_WORKLOADS, null, "acme", now, now, PollStatus.COMPLETE, null,
                List.of(), 0, Map.of()), Duration.ofMillis(40));
        return registry.scrape().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> metrics(final String expression) {
        final List<String> names = new ArrayList<>();
        final Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }
}
