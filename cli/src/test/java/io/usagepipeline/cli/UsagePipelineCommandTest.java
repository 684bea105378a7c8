package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.runtime.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UsagePipelineCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldListTheCommandsInItsHelp() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("Usage: usage-pipeline").contains("broker").contains("topics")
                .contains("USAGE_PIPELINE_*");
    }

    @Test
    void shouldPrintItsVersion() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString()).startsWith("usage-pipeline 0.").contains("Kafka clients 4.3.1");
    }

    @Test
    void shouldPrintTheVersionFromEveryCommand() {
        assertThat(run("--version")).isZero();
        final String version = out.toString();
        for (final String command : List.of("report", "process", "topics create", "raw import")) {
            out.getBuffer().setLength(0);

            assertThat(run((command + " --version").split(" "))).as(command).isZero();
            assertThat(out.toString()).as(command).isEqualTo(version);
        }
    }

    @Test
    void shouldExplainTheOptionsOfTopicsCreate() {
        assertThat(run("topics", "create", "--help")).isZero();

        assertThat(out.toString()).contains("--bootstrap-servers").contains("--prefix").contains("--partitions")
                .contains("--config");
    }

    @Test
    void shouldStopWithExitCode2AndNameTheKeyOnBadConfiguration(@TempDir final Path dir) throws IOException {
        final Path config = Files.writeString(dir.resolve("bad.yaml"), "topics: { partitions: 0 }\n");

        assertThat(run("topics", "create", "--config", config.toString())).isEqualTo(ExitCodes.CONFIG_ERROR);

        assertThat(err.toString()).contains("configuration error: topics.partitions = '0' (from config file");
    }

    @Test
    void shouldRefuseADemoItCannotRunBeforeItMovesAnEarlierRunAside(@TempDir final Path dir) throws IOException {
        final Path out = dir.resolve("usage-out");
        Files.createDirectories(out.resolve("charges"));
        Files.writeString(out.resolve("demo-pipeline.yaml"), "kafka: {}\n"); // an earlier demo's output

        assertThat(run("demo", "--out", out.toString(), "--days", "0")).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(run("demo", "--out", out.toString(), "--tenants", "0")).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(run("demo", "--out", out.toString(), "--poll-interval", "PT0S")).isEqualTo(ExitCodes.CONFIG_ERROR);

        assertThat(err.toString()).contains("--days must be at least 1, not 0")
                .contains("--tenants must be at least 1, not 0").contains("--poll-interval must be a positive");
        assertThat(Files.list(dir).map(path -> path.getFileName().toString())).containsExactly("usage-out");
    }

    @Test
    void shouldNameAnImportFileThatIsNotThere(@TempDir final Path dir) {
        final Path missing = dir.resolve("raw.jsonl");

        assertThat(run("raw", "import", "--file", missing.toString())).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(err.toString()).isEqualTo("configuration error: --file " + missing
                + ": no such file; give one that 'raw export' wrote" + System.lineSeparator());
    }

    @Test
    void shouldRefuseAnImportFileThatIsNotUtf8(@TempDir final Path dir) throws IOException {
        final Path latin1 = dir.resolve("raw.jsonl");
        Files.write(latin1, "{\"timestamp\": \"2026-03-10T00:00:00Z\", \"key\": \"M\u00fcller\", \"value\": \"1\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(run("raw", "import", "--file", latin1.toString())).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(err.toString()).startsWith("configuration error: " + latin1 + " is not UTF-8 text (")
                .endsWith("), as 'raw export' writes; nothing was imported" + System.lineSeparator());
    }

    @Test
    void shouldRejectAnUnknownOption() {
        assertThat(run("topics", "create", "--partitons", "3")).isEqualTo(ExitCodes.CONFIG_ERROR);

        assertThat(err.toString()).contains("Unknown options: '--partitons'").contains("Possible solutions: --partitions");
    }

    private int run(final String... args) {
        final CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldPutAFailureAndItsCausesOnOneLine() {
        final Exception failure = new IllegalStateException("the sink stopped",
                new AccessDeniedException("/srv/billing/day"));

        assertThat(Main.oneLine(failure)).isEqualTo("the sink stopped: AccessDeniedException on /srv/billing/day");
        assertThat(Main.oneLine(new IllegalStateException("line one\nline two"))).isEqualTo("line one line two");
    }
}
