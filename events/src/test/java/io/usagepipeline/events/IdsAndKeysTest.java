package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsAndKeysTest {

    // Expected ids computed independently with Python: uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL,
    // 'io.usagepipeline'), name)
    @Test
    void shouldDeriveTheNamespaceFromTheUrlNamespace() {
        final UUID urlNamespace = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

        assertThat(Ids.nameBased(urlNamespace, "io.usagepipeline")).isEqualTo(Ids.NAMESPACE);
    }

    @Test
    void shouldGiveTwoCollectorsOfTheSameSlotTheSamePollId() {
        final Instant slot = Instant.parse("2026-11-01T10:15:00Z");
        final String target = Keys.pollTarget("vac-eu", Endpoint.BACKUP_SERVER_USAGE, "2");

        assertThat(target).isEqualTo("vac-eu/backupServerUsage/2");
        assertThat(Ids.pollId(target, slot))
                .isEqualTo(UUID.fromString("de446c3d-0931-5c4c-bd94-bfff2228852c"))
                .isEqualTo(Ids.pollId(target, Instant.parse("2026-11-01T10:15:00.000Z")))
                .isNotEqualTo(Ids.pollId(target, slot.plusSeconds(900)));
    }

    @Test
    void shouldDeriveRecordIdsFromPeriodKeyAndRevision() {
        final String periodKey = Keys.periodKey(Keys.seriesKey("acme", "aws-acme", "AWS_EC2_INSTANCE"),
                Granularity.MONTH, Instant.parse("2026-10-01T00:00:00Z"));

        assertThat(periodKey).isEqualTo("acme|aws-acme|AWS_EC2_INSTANCE|MONTH|2026-10-01T00:00:00.000Z");
        assertThat(Ids.recordId(periodKey, 1)).isEqualTo(UUID.fromString("8b7e4348-2fd5-5df1-8110-02c79fe19d23"))
                .isNotEqualTo(Ids.recordId(periodKey, 2));
    }

    @Test
    void shouldEscapeTheSeparatorInsideKeyComponents() {
        final String key = Keys.seriesKey("a|b", "src", "T");

        assertThat(key).isEqualTo("a%7Cb|src|T");
        assertThat(key.split("\\|")).hasSize(3);
        assertThat(Keys.unescape(key.split("\\|")[0])).isEqualTo("a|b");
        assertThat(Keys.pollTarget("aws-acme", Endpoint.LICENSED_WORKLOADS, null)).isEqualTo("aws-acme/licensedWorkloads/-");
    }

    @Test
    void shouldPrefixTopicNames() {
        assertThat(Topics.RAW.name("")).isEqualTo("usage.raw.v1");
        assertThat(Topics.RAW.name(null)).isEqualTo("usage.raw.v1");
        assertThat(Topics.BILLING_RECORDS.name("prod.")).isEqualTo("prod.billing.records.v1");
        assertThat(Topics.all()).extracting(TopicSpec::baseName).containsExactly("usage.raw.v1",
                "usage.observations.v1", "usage.totals.v1", "billing.records.v1", "usage.dlq.v1", "usage.reports.v1",
                "billing.charges.v1", "usage.alerts.v1", "billing.reconciliation.v1");
    }

    @Test
    void shouldReadAPeriodKeyBackIntoItsParts() {
        final String series = Keys.seriesKey("a|b", "vac-eu/2", "VBR_vSphere_VM");
        final Instant start = Instant.parse("2026-10-01T00:00:00Z");

        assertThat(Keys.parsePeriodKey(Keys.periodKey(series, Granularity.DAY, start)))
                .isEqualTo(new Keys.PeriodKey("a%7Cb|vac-eu/2|VBR_vSphere_VM", Granularity.DAY, start));
    }
}
