package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.runtime.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code usage-pipeline} script at the repository's root, as a user runs it (the other ITs run the jar): what
 * the command prints reaches the terminal, and the JVM gets the options of {@code USAGE_PIPELINE_JAVA_OPTS} and the
 * C allocator's settings. The jar is fresh here (the package phase built it), so the script runs it without
 * building.
 */
@Timeout(300) // a hung test fails here, not at CI's limit
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "usage-pipeline").toAbsolutePath().normalize();
    /** The JVM names its collector at start: "[0.004s][info][gc] Using G1". */
    private static final String GC_LOG = "-Xlog:gc:stdout";
    /** ... and every flag as it took it: "size_t InitialHeapSize = 2147483648 {product} {command line}". */
    private static final String FLAGS = "-XX:+PrintFlagsFinal";

    @TempDir
    Path dir;

    @Test
    void shouldLetTheCommandsErrorsReachTheTerminal() throws Exception {
        final Result result = run(Map.of(), "process", "--no-such-option");

        assertThat(result.exit()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(result.stderr()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void shouldGiveTheJvmTheOptionsTheUserChose() throws Exception {
        assertThat(run(Map.of("USAGE_PIPELINE_JAVA_OPTS", GC_LOG + " -XX:+UseSerialGC"), "replay", "--help").stdout())
                .contains("Using Serial").contains("Usage: usage-pipeline replay");
    }

    /**
     * Read from the JVM's own flags. A bench told an option it does not have starts the JVM, with its heap touched,
     * and ends at once.
     */
    @Test
    void shouldStartTheBenchWithTheHeapItsStagesGrowToUnlessTheUserChoseOne() throws Exception {
        final Result bench = run(Map.of("USAGE_PIPELINE_JAVA_OPTS", FLAGS), "bench", "--no-such-option");
        assertThat(bench.stdout()).containsPattern("InitialHeapSize +:?= 2147483648 ")
                .as("a start, not a floor").doesNotContainPattern("MinHeapSize +:?= 2147483648 ")
                .as("every page of it touched at start").containsPattern("AlwaysPreTouch +:?= true");
        assertThat(bench.stderr()).contains("Unknown option: '--no-such-option'");
        assertThat(run(Map.of("USAGE_PIPELINE_JAVA_OPTS", "-Xms96m " + FLAGS), "bench", "--no-such-option").stdout())
                .containsPattern("InitialHeapSize +:?= 100663296 ").containsPattern("AlwaysPreTouch +:?= false");
        assertThat(run(Map.of("USAGE_PIPELINE_JAVA_OPTS", FLAGS), "bench", "--help").stdout())
                .as("its help does not wait for 2 GiB to be touched").containsPattern("AlwaysPreTouch +:?= false")
                .contains("Usage: usage-pipeline bench");
        // as if on a machine of 1 GiB, whose default starting heap is a 64th of it
        assertThat(run(Map.of("USAGE_PIPELINE_JAVA_OPTS", "-XX:MaxRAM=1g " + FLAGS), "replay", "--help").stdout())
                .as("only the bench gets a starting heap of its own").containsPattern("InitialHeapSize +:?= 16777216 ");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // read from /proc
    void shouldGiveTheJvmTheAllocatorsSettingsUnlessTheUserSetThem() throws Exception {
        assertThat(jvmEnvironment(Map.of())).contains("MALLOC_TRIM_THRESHOLD_=16777216",
                "MALLOC_MMAP_THRESHOLD_=4194304", "MALLOC_TOP_PAD_=67108864");
        assertThat(jvmEnvironment(Map.of("MALLOC_TRIM_THRESHOLD_", "131072", "MALLOC_TOP_PAD_", "0")))
                .contains("MALLOC_TRIM_THRESHOLD_=131072", "MALLOC_MMAP_THRESHOLD_=4194304", "MALLOC_TOP_PAD_=0");
    }

    /**
     * The environment of the JVM the launcher runs ({@code process} against a Kafka that is not there, which waits
     * for it), read once the launcher has become that JVM.
     */
    private List<String> jvmEnvironment(final Map<String, String> env) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "process", "--bootstrap-servers",
                "localhost:1").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        final Process process = builder.start();
        try {
            final Path proc = Path.of("/proc", Long.toString(process.pid()));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).contains("-jar")) {
                assertThat(process.isAlive()).as("the launcher runs until it is stopped").isTrue();
                assertThat(System.nanoTime()).as("the launcher started the JVM within a minute").isLessThan(deadline);
                Thread.sleep(20); // the launcher execs the JVM in the same process: look again shortly
            }
            return List.of(Files.readString(proc.resolve("environ"), StandardCharsets.UTF_8).split("\0"));
        } finally {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Result run(final Map<String, String> env, final String... args) throws IOException,
            InterruptedException {
        final Path out = Files.createTempFile(dir, "out", ".txt");
        final Path err = Files.createTempFile(dir, "err", ".txt");
        final ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.command().addAll(List.of(args));
        builder.environment().putAll(env);
        final Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher ended within two minutes").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
