package io.usagepipeline.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.processor.billing.ZoneSchedule;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorSettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheFallbackTenantMapsAndIgnoreTheCollectorSources() throws IOException {
        final ProcessorConfig config = load("""
                kafka: { bootstrap.servers: localhost:9092 }
                collector:
                  pollInterval: PT15M
                  sources:
                    - { id: aws-acme, kind: VBA_AWS, baseUrl: "https://10.0.0.5:11005", tenant: acme,
                        auth: { username: svc-usage, passwordEnv: AWS_ACME_PASSWORD } }
                    - { id: vac-eu, kind: VAC, baseUrl: "https://vac.example:1281", tenants: { "2": acme, "5": initech },
                        auth: { username: "vac\\\\svc-usage", passwordEnv: VAC_PASSWORD } }
                    - { id: vspc, kind: VSPC, baseUrl: "https://vspc.example:1280", companies: { Alpha: alpha },
                        auth: { apiKeyEnv: VSPC_API_KEY } }
                processor:
                  tenantMaps: { vac-eu: { "5": initech }, vspc: { Alpha: alpha } }
                  maxGap: PT1H
                  zone: Europe/Berlin
                  tenantZones: { initech: America/New_York }
                """);

        // only polls without their own tenantMap use these; the collector's "2": acme is not the processor's
        assertThat(config.tenants().of(legacyPoll("vac-eu")).lookup("5")).contains("initech");
        assertThat(config.tenants().of(legacyPoll("vac-eu")).lookup("2")).isEmpty();
        assertThat(config.tenants().of(legacyPoll("vspc")).lookup("ALPHA")).contains("alpha");
        assertThat(config.tenants().of(legacyPoll("vac-eu")).lookup("9")).isEmpty();
        assertThat(config.maxGap()).isEqualTo(Duration.ofHours(1));
        assertThat(config.grace()).isEqualTo(Duration.ofHours(2));
        assertThat(config.scheduleOf("acme")).isEqualTo(ZoneSchedule.of(ZoneId.of("Europe/Berlin")));
        assertThat(config.scheduleOf("initech")).isEqualTo(ZoneSchedule.of(ZoneId.of("America/New_York")));
    }

    @Test
    void shouldReadTheZonesATenantHasHad() throws IOException {
        final ProcessorConfig config = load("""
                processor:
                  tenantZones:
                    acme:
                      - { zone: UTC }
                      - { zone: Asia/Tokyo, from: 2026-11 }
                      - { zone: America/New_York, from: "2027-03" }
                """);

        assertThat(config.scheduleOf("acme")).isEqualTo(ZoneSchedule.of(List.of(
                new ZoneSchedule.Change(null, ZoneId.of("UTC")),
                new ZoneSchedule.Change(YearMonth.of(2026, 11), ZoneId.of("Asia/Tokyo")),
                new ZoneSchedule.Change(YearMonth.of(2027, 3), ZoneId.of("America/New_York")))));
    }

    /** The entry a processor names when a Java update moved a zone's midnights under its open periods. */
    @Test
    void shouldReadAFixedOffsetBeforeAZone() throws IOException {
        final ProcessorConfig config = load("""
                processor:
                  tenantZones:
                    acme: [ { zone: "+06:00" }, { zone: Asia/Almaty, from: 2026-11 } ]
                    globex: [ { zone: +05:00 }, { zone: Asia/Almaty, from: 2026-11 } ]
                """);

        assertThat(config.scheduleOf("acme").zones()).containsExactly(ZoneOffset.ofHours(6), ZoneId.of("Asia/Almaty"));
        assertThat(config.scheduleOf("globex").zones()).containsExactly(ZoneOffset.ofHours(5),
                ZoneId.of("Asia/Almaty"));
    }

    @Test
    void shouldGiveEveryOtherTenantTheZonesOfTheStarEndingWithTheBillingZone() throws IOException {
        final ProcessorConfig config = load("""
                processor:
                  zone: Europe/Berlin
                  tenantZones: { "*": [ { zone: UTC }, { zone: Europe/Berlin, from: 2027-01 } ], initech: UTC }
                """);

        assertThat(config.scheduleOf("acme").describe()).isEqualTo("UTC, Europe/Berlin from 2027-01");
        assertThat(config.scheduleOf("initech").describe()).isEqualTo("UTC");
        assertThatThrownBy(() -> load("processor: { tenantZones: { \"*\": [ {zone: UTC}, "
                + "{zone: Europe/Berlin, from: 2027-01} ] } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.tenantZones.\"*\" ends with Europe/Berlin, but processor.zone is UTC (from "
                        + "the default): the billing zone of every tenant without its own is the last of \"*\"; set "
                        + "processor.zone: Europe/Berlin");
    }

    @Test
    void shouldNameTheKeyOfABadZoneChange() {
        assertThatThrownBy(() -> load("processor: { tenantZones: { acme: [ {zone: UTC}, {zone: Asia/Tokyo} ] } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.tenantZones.acme: zone 2 (Asia/Tokyo) has no 'from': every zone after the "
                        + "first needs the month it takes over");
        assertThatThrownBy(() -> load("processor: { tenantZones: { acme: [ {zone: UTC}, "
                + "{zone: Asia/Tokyo, from: 2026-13} ] } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.tenantZones.acme[1].from = '2026-13': not a month; expected one such as "
                        + "2026-11");
        assertThatThrownBy(() -> load("processor: { tenantZones: { acme: [ {zone: UTC}, "
                + "{zone: Asia/Tokyo, since: 2026-11} ] } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.tenantZones.acme[1]: unknown key since;");
        assertThatThrownBy(() -> load("processor: { tenantZones: { acme: [ {zone: UTC}, "
                + "{zone: Asia/Tokyo, from: 2026-11}, {zone: UTC, from: 2026-11} ] } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.tenantZones.acme: zone 3 takes over from 2026-11, not after the zone before it "
                        + "(2026-11)");
    }

    @Test
    void shouldNameTheKeyOfABadTenantZone() {
        assertThatThrownBy(() -> load("processor: { tenantZones: { acme: Mars/Olympus } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.tenantZones.acme = 'Mars/Olympus': not a known time zone");
    }

    @Test
    void shouldNameTheKeyOfABadTenantMap() {
        assertThatThrownBy(() -> load("processor: { tenantMaps: { vac-eu: { \"2\": \"\" } } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.tenantMaps.vac-eu.2: expected a non-empty value");
    }

    @Test
    void shouldRefuseOneVendorNameMappedToTwoTenants() {
        assertThatThrownBy(() -> load("processor: { tenantMaps: { vspc: { Alpha: alpha, ALPHA: alpha-2 } } }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.tenantMaps.vspc: 'Alpha' and 'ALPHA' are one name (case, spaces around it and "
                        + "composed letters do not count), mapped to 'alpha' and 'alpha-2'; keep one");
    }

    private static RawPoll legacyPoll(final String sourceId) {
        return new RawPoll(null, UUID.randomUUID(), sourceId, SourceKind.VAC, Endpoint.BACKUP_SERVER_USAGE, "2", null,
                Instant.EPOCH, Instant.EPOCH, PollStatus.COMPLETE, null, List.of(), 0, null);
    }

    @Test
    void shouldRejectANonPositiveMaxGap() {
        assertThatThrownBy(() -> load("processor: { maxGap: PT0S }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.maxGap = 'PT0S'").hasMessageContaining("not positive");
    }

    private ProcessorConfig load(final String yaml) throws IOException {
        final Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
        return ProcessorSettings.bind(PipelineConfig.load(file, Map.of(), PipelineConfig.Flags.none()), "").billing();
    }
}
