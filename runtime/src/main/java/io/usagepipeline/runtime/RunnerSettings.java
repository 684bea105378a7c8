package io.usagepipeline.runtime;

import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.Setting;
import io.usagepipeline.runtime.config.Values;
import java.time.Duration;
import java.util.List;

/** What the runner of a long-running command reads from the configuration: its endpoints and when health is DOWN. */
public record RunnerSettings(Runner.Endpoints endpoints, HealthBounds bounds) {

    public static final Setting<Integer> HTTP_PORT = new Setting<>("http.port", "0",
            "a TCP port from 0 to 65535 (0: no HTTP endpoint)", text -> Values.intBetween(text, 0, 65_535),
            "Port of /metrics (Prometheus) and /health for long-running commands.");

    public static final Setting<String> HTTP_ADDRESS = new Setting<>("http.address", "127.0.0.1",
            "an IP address or host name of this machine", Values::notBlank,
            "Address /metrics and /health listen on: this machine only unless told (0.0.0.0: every interface, as a "
                    + "container needs for probes from outside).");

    public static final Setting<Duration> HEALTH_UNREACHABLE_AFTER = new Setting<>("health.unreachableAfter",
            HealthBounds.DEFAULTS.unreachable().toString(),
            "a positive ISO-8601 duration, e.g. PT10S", Values::positiveDuration,
            "How long Kafka may not answer before /health says DOWN (503).");

    public static final Setting<Duration> HEALTH_STALLED_AFTER = new Setting<>("health.stalledAfter",
            HealthBounds.DEFAULTS.stalled().toString(),
            "a positive ISO-8601 duration, e.g. PT2M", Values::positiveDuration,
            "How long a service may make no progress (the processor not RUNNING, no sink batch finished) before "
                    + "/health says DOWN (503).");

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(HTTP_PORT, HTTP_ADDRESS, HEALTH_UNREACHABLE_AFTER,
            HEALTH_STALLED_AFTER));

    public static RunnerSettings bind(final ConfigTree tree) {
        return new RunnerSettings(new Runner.Endpoints(tree.get(HTTP_ADDRESS), tree.get(HTTP_PORT)),
                new HealthBounds(tree.get(HEALTH_UNREACHABLE_AFTER), tree.get(HEALTH_STALLED_AFTER)));
    }
}
