package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Failures a user can cause or fix end with one line that names the thing and the fix, and the right exit code. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class OneLineErrorsIT {

    private record Run(int code, List<String> errors, Duration took) {
    }

    @Test
    void shouldSayWithinFifteenSecondsThatKafkaDoesNotAnswer(@TempDir final Path dir) throws Exception {
        final String nobody = "127.0.0.1:" + CliProcess.freePort();
        final Path secret = Files.writeString(dir.resolve("aws.password"), "secret");
        final Path config = Files.writeString(dir.resolve("collector.yaml"), "collector:\n  sources:\n"
                + "    - { id: aws-acme, kind: VBA_AWS, baseUrl: \"https://127.0.0.1:9/aws\", tenant: acme,\n"
                + "        auth: { username: svc, passwordFile: \"" + secret + "\" } }\n");
        final List<String[]> commands = List.of(
                new String[] {"collect", "--config", config.toString(), "--bootstrap-servers", nobody, "--once"},
                new String[] {"demo", "--bootstrap-servers", nobody, "--out", dir.resolve("demo").toString()},
                new String[] {"topics", "create", "--bootstrap-servers", nobody},
                new String[] {"raw", "export", "--bootstrap-servers", nobody, "--file",
                        dir.resolve("raw.jsonl").toString()},
                new String[] {"sink", "--bootstrap-servers", nobody, "--csv-dir", dir.resolve("out").toString()});
        // each command waits its 10 s for the silent Kafka: side by side, the five take 10 s rather than 50
        final ExecutorService pool = Executors.newFixedThreadPool(commands.size());
        try {
            final List<Future<Run>> runs = new ArrayList<>();
            commands.forEach(command -> runs.add(pool.submit(() -> run(command))));
            for (int i = 0; i < commands.size(); i++) {
                final String name = commands.get(i)[0];
                final Run run = runs.get(i).get();

                assertThat(run.code()).as(name).isEqualTo(ExitCodes.FAILED);
                assertThat(run.took()).as(name).isLessThan(Duration.ofSeconds(15));
                assertThat(run.errors()).as(name).singleElement().asString()
                        .contains("Kafka at " + nobody + " did not answer within 10 s")
                        .contains("check --bootstrap-servers");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNameTheBadLineOfAnImportAndImportNothing(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, "badimport.", 3, 0).ensureAll();
        }
        final Path file = Files.writeString(dir.resolve("raw.jsonl"),
                "{\"key\":\"a/licensedWorkloads/-\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"value\":\"{}\"}\n"
                        + "\n"
                        + "{\"key\":\"a/licensedWorkloads/-\",\"timestamp\":\"yesterday\",\"value\":\"{}\"}\n");

        final Run run = run("raw", "import", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix",
                "badimport.", "--file", file.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(run.errors()).singleElement().asString().contains("line 3 of " + file)
                .contains("\"yesterday\" is not an ISO-8601 instant").contains("nothing was imported");
        assertThat(CommittedRecords.count(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Topics.RAW.name("badimport."))).isZero();
    }

    @Test
    void shouldNameTheTopicsThatAreMissingAndHowToCreateThem(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, "older.", 3, 0).ensureAll();
            admin.deleteTopics(List.of(Topics.ALERTS.name("older."))).all().get(); // as before the topic existed
        }

        final Run run = run("process", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", "older.",
                "--state-dir", dir.resolve("state").toString());

        assertThat(run.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errors()).singleElement().asString().startsWith("process: topic older.usage.alerts.v1 of "
                + "the contract does not exist on " + kafka.bootstrapServers() + "; run 'usage-pipeline topics "
                + "create'");
    }

    @Test
    void shouldRefuseToCollectIntoARawTopicThatDoesNotExistBeforePollingAnything(final KafkaBroker kafka,
                                                                                @TempDir final Path dir)
            throws Exception {
        // a source nothing answers at: polled, it would fail slowly, with retries
        final Path password = Files.writeString(dir.resolve("password"), "secret");
        final Path config = Files.writeString(dir.resolve("collector.yaml"), """
                collector:
                  sources:
                    - { id: aws-acme, kind: VBA_AWS, baseUrl: "http://localhost:1", tenant: acme,
                        auth: { username: u, passwordFile: "%s" } }
                """.formatted(password));

        final Run run = run("collect", "--once", "-c", config.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--prefix", "nocreate.");

        assertThat(run.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errors()).singleElement().asString().startsWith("collect: topic nocreate.usage.raw.v1 of "
                + "the contract does not exist on " + kafka.bootstrapServers() + "; run 'usage-pipeline topics "
                + "create'");
    }

    @Test
    void shouldRefuseToExportFromARawTopicThatDoesNotExistRatherThanWriteAnEmptyArchive(final KafkaBroker kafka,
                                                                                       @TempDir final Path dir) {
        final Path file = dir.resolve("raw.jsonl");

        final Run run = run("raw", "export", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", "typo.",
                "--file", file.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.errors()).singleElement().asString().startsWith("export: topic typo.usage.raw.v1 of the "
                + "contract does not exist on " + kafka.bootstrapServers());
        assertThat(file).doesNotExist();
    }

    private static Run run(final String... args) {
        final StringWriter errors = new StringWriter();
        final var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(errors, true));
        final long started = System.nanoTime();
        final int code = commandLine.execute(args);
        return new Run(code, errors.toString().lines().filter(line -> !line.isBlank()).toList(),
                Duration.ofNanos(System.nanoTime() - started));
    }
}
