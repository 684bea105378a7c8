package io.usagepipeline.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessCommandTest {

    /** The start line names the horizon as it is configured (P35D), not in hours. */
    @Test
    void shouldNameAWholeNumberOfDaysInDays() {
        assertThat(ProcessCommand.inDays(Duration.ofDays(35))).isEqualTo("P35D");
        assertThat(ProcessCommand.inDays(Duration.ofHours(36))).isEqualTo("PT36H");
    }
}
