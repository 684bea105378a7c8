package io.usagepipeline.rating;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.VendorReportLine;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** A poll of a report gives one note, however many lines it has: each note goes to every task. */
class ReportPollsTest {

    @Test
    void shouldForwardOneNotePerPollOfAReport() {
        final ReportPolls polls = new ReportPolls();
        final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        polls.init(context);
        final String first = "2026-11-01T08:00:00Z";
        final String second = "2026-11-01T09:00:00Z";

        for (final VendorReportLine line : List.of(line("acme", "VBR_VM", first), line("acme", "VBR_Server_Agent",
                first), line("globex", "VBR_VM", first), line("acme", "VBR_VM", second),
                line("globex", "VBR_VM", second))) {
            polls.process(new Record<>(line.reportKey(), line, 0L));
        }

        final List<Object> notes = context.forwarded().stream()
                .map(forwarded -> (Object) forwarded.record().value()).toList();
        assertThat(notes).containsExactly(ReportPolled.of(line("acme", "VBR_VM", first)),
                        ReportPolled.of(line("acme", "VBR_VM", second)));
        assertThat(context.forwarded().stream().map(forwarded -> (String) forwarded.record().key()))
                .containsOnly("2026-10|vspc");
    }

    private static VendorReportLine line(final String tenant, final String type, final String polledAt) {
        return Fixtures.reportLine(tenant, type, ReportStatus.APPROVAL_REQUIRED, 3, 3, 0, "1", "3", polledAt);
    }
}
