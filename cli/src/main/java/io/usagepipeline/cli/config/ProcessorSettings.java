package io.usagepipeline.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.TenantDirectory;
import io.usagepipeline.processor.alerts.AlertThresholds;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/** Builds the processor's configuration from the layered settings, checking the structured parts with their paths. */
public final class ProcessorSettings {

    private static final String TENANT_MAPS = "processor.tenantMaps";

    private ProcessorSettings() {
    }

    public static ProcessorConfig from(final PipelineConfig config) {
        return new ProcessorConfig(config.get(Settings.TOPICS_PREFIX), config.get(Settings.PROCESSOR_MAX_GAP),
                config.get(Settings.PROCESSOR_GRACE), config.get(Settings.PROCESSOR_HORIZON),
                config.get(Settings.PROCESSOR_ZONE), tenantZones(config), tenantDirectory(config),
                config.get(Settings.PROCESSOR_MAX_UNITS), config.get(Settings.PROCESSOR_MAX_AHEAD),
                new AlertThresholds(config.get(Settings.ALERTS_SPIKE_FACTOR),
                        config.get(Settings.ALERTS_SPIKE_MIN_DELTA)));
    }

    private static Map<String, ZoneId> tenantZones(final PipelineConfig config) {
        final Map<String, ZoneId> zones = new HashMap<>();
        config.structured("processor.tenantZones").ifPresent(node -> {
            requireObject(node, "processor.tenantZones");
            node.fields().forEachRemaining(entry -> {
                final String path = "processor.tenantZones." + entry.getKey();
                try {
                    zones.put(entry.getKey(), Settings.zone(text(entry.getValue(), path)));
                } catch (final IllegalArgumentException e) {
                    throw new ConfigException(path + " = '" + entry.getValue().asText() + "': " + e.getMessage()
                            + "; expected an IANA zone id such as Europe/Berlin");
                }
            });
        });
        return zones;
    }

    /**
     * {@code processor.tenantMaps}: source id → (VAC tenant id or VSPC company → tenant), used only for raw polls
     * written before the collector stamped its own mapping into each poll.
     */
    private static TenantDirectory tenantDirectory(final PipelineConfig config) {
        final Map<String, Map<String, String>> bySource = new HashMap<>();
        config.structured(TENANT_MAPS).ifPresent(sources -> {
            requireObject(sources, TENANT_MAPS);
            sources.fields().forEachRemaining(source -> {
                final String path = TENANT_MAPS + "." + source.getKey();
                requireObject(source.getValue(), path);
                final Map<String, String> mapping = new HashMap<>();
                source.getValue().fields().forEachRemaining(entry -> mapping.put(entry.getKey(),
                        text(entry.getValue(), path + "." + entry.getKey())));
                bySource.put(source.getKey(), mapping);
            });
        });
        return TenantDirectory.of(bySource);
    }

    private static void requireObject(final JsonNode node, final String path) {
        if (!node.isObject()) {
            throw new ConfigException(path + ": expected a mapping");
        }
    }

    private static String text(final JsonNode node, final String path) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()
                || node.asText().isBlank()) {
            throw new ConfigException(path + ": expected a non-empty value");
        }
        return node.asText();
    }
}
