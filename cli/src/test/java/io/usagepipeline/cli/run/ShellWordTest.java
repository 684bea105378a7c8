package io.usagepipeline.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.PosixShell;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A printed command line gives every word back whole to the shell it is pasted into. */
class ShellWordTest {

    @Test
    void shouldGiveEveryWordBackWholeToTheShell() throws Exception {
        final List<String> words = List.of("/srv/usage-out/replay.jsonl", "2026-11-01T00:00:00Z",
                "localhost:9092,kafka-2:9092", "/srv/billing out/demo-pipeline.yaml", "Müller GmbH", "it's",
                "$HOME", "`date`", "a\"b", "back\\slash", "tab\there", "*", "~", "", "semi;colon", "amp&", "#hash");

        final String line = words.stream().map(ShellWord::of).collect(Collectors.joining(" "));

        assertThat(PosixShell.words(line)).containsExactlyElementsOf(words);
    }

    /** Paths and instants a person reads are printed as they are, not quoted for nothing. */
    @Test
    void shouldLeaveAPlainWordAsItIs() {
        assertThat(ShellWord.of("/srv/usage-out/replay.jsonl")).isEqualTo("/srv/usage-out/replay.jsonl");
        assertThat(ShellWord.of("2026-11-01T00:00:00Z")).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(ShellWord.of("/srv/billing out")).isEqualTo("'/srv/billing out'");
    }
}
