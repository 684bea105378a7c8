package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.usagepipeline.runtime.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    /** The jar the build writes (the package phase, before the ITs). */
    private static final Path BUILT = Path.of("target", "usage-pipeline.jar").toAbsolutePath();
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
                .as("every page of it touched at start").containsPattern("AlwaysPreTouch +:?= true")
                .as("none of it given back before the latency stage").containsPattern("MaxHeapFreeRatio +:?= 100 ");
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
     * Maven writes the jar in place, and a JVM running from it would read the classes it has not loaded yet from a
     * newer build's bytes. So each command runs a copy, which a newer build replaces by a rename: the next command
     * gets the new one, and a command still running keeps its own file.
     */
    @Test
    @EnabledOnOs(OS.LINUX) // read from /proc
    void shouldRunACopyOfTheJarThatANewerBuildReplacesByARename() throws Exception {
        final Process first = waiting(Map.of());
        try {
            final Path copy = jarOf(first);
            assertThat(copy).isNotEqualTo(BUILT).exists();
            assertThat(Files.mismatch(copy, BUILT)).as("the copy is the build's jar").isEqualTo(-1L);
            final Object firstFile = Files.readAttributes(copy, BasicFileAttributes.class).fileKey();

            Files.setLastModifiedTime(BUILT, FileTime.from(Instant.now())); // as a newer build leaves it
            final Process second = waiting(Map.of());
            try {
                assertThat(jarOf(second)).isEqualTo(copy);
                assertThat(Files.readAttributes(copy, BasicFileAttributes.class).fileKey())
                        .as("a new file under the name").isNotEqualTo(firstFile);
                assertThat(openFiles(first)).as("the first command keeps reading its own")
                        .contains(copy + " (deleted)");
            } finally {
                second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Installed as a link in a folder on the PATH ({@code ln -s .../usage-pipeline ~/bin/}), the script finds its
     * repository and jar through the link, a relative one or a link to a link too, where it took the link's folder
     * for the repository and ran Maven there ("Could not find the selected project in the reactor").
     */
    @Test
    void shouldFindItsRepositoryThroughASymbolicLink() throws Exception {
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        final Path link = Files.createSymbolicLink(bin.resolve("usage-pipeline"), LAUNCHER);
        final Path linkToLink = Files.createSymbolicLink(dir.resolve("up"), dir.relativize(link));

        for (final Path installed : List.of(link, linkToLink)) {
            final Result version = run(installed, Map.of(), "--version");
            assertThat(version.exit()).as(installed + ": " + version.stderr()).isZero();
            assertThat(version.stdout()).startsWith("usage-pipeline ");
            assertThat(version.stderr()).as("the jar is fresh: nothing to build").isEmpty();
        }
    }

    /**
     * From Java 24 on the JVM warns on the console when a library loads native code (zstd, RocksDB) or frees memory
     * through {@code sun.misc.Unsafe} (Kafka's broker, in-process in the demo), in the middle of the demo's progress.
     * A short demo under such a Java, through the launcher, prints none of it. Needs a JDK of 24 or later under
     * {@code /usr/lib/jvm} (the build machines have Temurin's beside the default); skipped loudly otherwise.
     */
    @Test
    void shouldKeepTheConsoleFreeOfTheJvmsWarningsOnJava24AndLater() throws Exception {
        final Optional<Path> jdk = jdkOfAtLeast(24);
        if (jdk.isEmpty()) {
            System.err.println("SKIPPED: LauncherIT's Java 24 test needs a JDK of 24 or later under /usr/lib/jvm");
        }
        assumeTrue(jdk.isPresent(), "no JDK of 24 or later: the console of a newer Java was not checked");

        final Result demo = run(Map.of("PATH", jdk.get().resolve("bin") + ":" + System.getenv("PATH")), "demo",
                "--out", dir.resolve("out").toString(), "--tenants", "2", "--days", "2", "--seed", "3");

        assertThat(demo.exit()).as(demo.stderr()).isZero();
        assertThat(demo.stdout()).contains("waiting for the processor, the rater and the sink to catch up");
        assertThat(demo.stdout() + demo.stderr()).doesNotContain("WARNING:");
    }

    /** A JDK under /usr/lib/jvm whose release file names a version of at least {@code feature}. */
    private static Optional<Path> jdkOfAtLeast(final int feature) throws IOException {
        final Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isRegularFile(home.resolve("release"))
                    && Files.isExecutable(home.resolve("bin").resolve("java"))).filter(home -> {
                        try {
                            final Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)")
                                    .matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
                            return version.find() && Integer.parseInt(version.group(1)) >= feature;
                        } catch (final IOException e) {
                            return false;
                        }
                    }).findFirst();
        }
    }

    /** The environment of the JVM the launcher runs, read once the launcher has become that JVM. */
    private List<String> jvmEnvironment(final Map<String, String> env) throws Exception {
        final Process process = waiting(env);
        try {
            return List.of(Files.readString(proc(process).resolve("environ"), StandardCharsets.UTF_8).split("\0"));
        } finally {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code process} against a Kafka that is not there, which waits for it, through the launcher, once the launcher
     * has become the JVM.
     */
    private static Process waiting(final Map<String, String> env) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "process", "--bootstrap-servers",
                "localhost:1").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        final Process process = builder.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!jvmArguments(process).contains("-jar")) {
            assertThat(process.isAlive()).as("the launcher runs until it is stopped").isTrue();
            assertThat(System.nanoTime()).as("the launcher started the JVM within a minute").isLessThan(deadline);
            Thread.sleep(20); // the launcher execs the JVM in the same process: look again shortly
        }
        return process;
    }

    private static List<String> jvmArguments(final Process process) throws IOException {
        return List.of(Files.readString(proc(process).resolve("cmdline"), StandardCharsets.UTF_8).split("\0"));
    }

    /** The jar the JVM runs: the argument after {@code -jar}. */
    private static Path jarOf(final Process process) throws IOException {
        final List<String> arguments = jvmArguments(process);
        return Path.of(arguments.get(arguments.indexOf("-jar") + 1));
    }

    /** The files the process holds open, as the kernel names them. */
    private static List<String> openFiles(final Process process) throws IOException {
        final List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(proc(process).resolve("fd"))) {
            for (final Path descriptor : descriptors) {
                try {
                    files.add(Files.readSymbolicLink(descriptor).toString());
                } catch (final IOException e) {
                    // a descriptor closed while listing
                }
            }
        }
        return files;
    }

    private static Path proc(final Process process) {
        return Path.of("/proc", Long.toString(process.pid()));
    }

    private Result run(final Map<String, String> env, final String... args) throws IOException,
            InterruptedException {
        return run(LAUNCHER, env, args);
    }

    private Result run(final Path launcher, final Map<String, String> env, final String... args)
            throws IOException, InterruptedException {
        final Path out = Files.createTempFile(dir, "out", ".txt");
        final Path err = Files.createTempFile(dir, "err", ".txt");
        // run from the test's folder, where a command's log file goes
        final ProcessBuilder builder = new ProcessBuilder(launcher.toString()).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
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
