package io.usagepipeline.rating;

import static io.usagepipeline.rating.Fixtures.month;
import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.rating.Fixtures.Figures;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** A tenant's month as the rater keeps it: what it still waits for, and state written by earlier versions. */
class TenantMonthTest {

    private final JsonSerde<TenantMonth> serde = JsonSerde.exact(TenantMonth.class);

    @Test
    void shouldWaitForTheSeriesWithDaysOnlyOnceAMonthRecordHasCome() {
        final TenantMonth month = TenantMonth.empty("acme", YearMonth.of(2026, 3));
        month.seriesWithDays().add("acme|vac-eu|VBR_vSphere_VM");
        month.seriesWithDays().add("acme|vac-eu|CC_VM_Backup");
        assertThat(month.seriesStillOpen()).isEmpty(); // an open month waits for nothing

        month.records().put("acme|vac-eu|VBR_vSphere_VM",
                month("acme", "vac-eu", "VBR_vSphere_VM", "2026-03", 1, Figures.counts(10, 8)));
        assertThat(month.seriesStillOpen()).containsExactly("acme|vac-eu|CC_VM_Backup");
    }

    @Test
    void shouldReadStateWrittenBeforeTheDaysWereKeptAsKnowingNone() {
        final byte[] before = """
                {"tenantId":"acme","month":"2026-03","records":{},"published":{},"reportLines":{},"reconciled":{}}"""
                .getBytes(StandardCharsets.UTF_8);

        final TenantMonth month = serde.deserializer().deserialize("rating-months-store-changelog", before);

        assertThat(month.seriesWithDays()).isEmpty();
        assertThat(month.seriesStillOpen()).isEmpty();
        month.seriesWithDays().add("acme|vac-eu|CC_VM_Backup"); // and it can learn them from then on
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", month)).seriesWithDays())
                .containsExactly("acme|vac-eu|CC_VM_Backup");
    }
}
