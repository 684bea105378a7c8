package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The shaded {@code usage-pipeline.jar} run as a user runs it, in its own JVM, with its output collected. */
final class CliProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "usage-pipeline.jar");

    private static final int TAIL = 30;

    private final Process process;
    private final String name;
    private final Thread reader;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CliProcess(final Process process, final String name) {
        this.process = process;
        this.name = name;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(line -> {
                    lines.add(line);
                    System.out.println("[" + name + "] " + line);
                });
            } catch (final IOException | UncheckedIOException e) {
                // the process ended
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    static CliProcess start(final String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** With extra environment variables (secrets are passed this way, as in production). */
    static CliProcess start(final Map<String, String> env, final String... args) throws IOException {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        // The JIT's first tier and the serial collector: a child lives seconds to a minute on a small machine that
        // runs two test classes at once, where the optimizing compiler and G1's threads cost more than they return.
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        // the locale and zone of a host unlike the build machine's (the root pom's test.host.flags says why)
        command.addAll(Arrays.stream(System.getProperty("test.host.flags", "").split("\\s+"))
                .filter(flag -> !flag.isEmpty()).toList());
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new CliProcess(builder.start(), args[0]);
    }

    /** SIGKILL: no shutdown hook, no flush, as when the machine or the OOM killer takes the process. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** Waits until a line of output contains {@code text}; fails at once if the process exits first. */
    CliProcess awaitOutput(final String text, final Duration timeout) {
        await().atMost(timeout)
                .failFast(this::assertAlive)
                .until(() -> lines.stream().anyMatch(line -> line.contains(text)));
        return this;
    }

    /**
     * Fails with the exit code and the last lines of output once the process has ended: the fail-fast of any wait on
     * it, so that a wait ends at once, with the reason, instead of at its deadline.
     */
    void assertAlive() {
        assertThat(process.isAlive()).as(() -> name + " exited with " + process.exitValue() + "; its last lines:\n"
                + String.join("\n", lastLines())).isTrue();
    }

    /** The last lines it printed; once it has ended, after its last output was read. */
    private List<String> lastLines() {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        final List<String> all = lines();
        return all.subList(Math.max(0, all.size() - TAIL), all.size());
    }

    /** Every line printed so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process id, by which the JVM names itself ({@code pid@host}). */
    long pid() {
        return process.pid();
    }

    boolean printed(final String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** SIGTERM, which runs the same shutdown hook as Ctrl-C; returns the exit code. */
    int stop() throws InterruptedException {
        process.toHandle().destroy(); // unlike Process.destroy(), keeps our end of its output open
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30)); // the last lines it printed; a loaded machine reads slowly
        return process.exitValue();
    }

    /** Waits for the process to end by itself; returns the exit code. */
    int awaitExit(final Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("exited within %s", timeout)
                .isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
