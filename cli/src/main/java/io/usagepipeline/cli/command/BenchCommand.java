package io.usagepipeline.cli.command;

import io.usagepipeline.bench.Bench;
import io.usagepipeline.bench.BenchReport;
import io.usagepipeline.events.Json;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Measures the pipeline against the raw Kafka limit, all in one run against one embedded broker, so "
                        + "the figures can be compared as ratios on a noisy machine.",
                "Stages:",
                "  1. --days of hourly raw polls for --tenants VAC tenants are published, then run once, not "
                        + "measured, through the copy loop and the processor under each profile, so that every stage "
                        + "after runs code the JIT has compiled;",
                "  2. the processor computes them under the live profile (raw polls/s, observations/s, and the "
                        + "projected time of one year of 1,000 tenants);",
                "  3. I/O baseline: a bare exactly-once loop writes, per raw poll, as many records as the live "
                        + "processor wrote (outputs and changelogs), copies of what it wrote, to as many partitions "
                        + "(measured on its second round);",
                "  4. " + Bench.ROUNDS + " rounds of: baseline, a bare exactly-once consume-produce loop copying "
                        + "them (the physical limit of a read-process-write stage here), then at once the processor "
                        + "computing them as 'replay' does (the replay profile, no changelogs, stores in the heap, no "
                        + "alert rules) with 1 stream thread; the ratio of the median round is the replay's figure, "
                        + "and the live profile is compared with that round's baseline too;",
                "  5. the replay profile once more with its own stream threads, one per core (the projected year);",
                "  6. latency: polls published in real time, polledAt to OPEN total, p50 and p99;",
                "  7. the collector polls --collector-tenants VAC tenants of the simulator, beside a bare "
                        + "HttpClient loop on the same URLs (each measured on its second round).",
                "Each stage starts after a full collection. The stages that measure throughput keep the heap the "
                        + "stages before them grew, as a long job keeps its own; the latency stage starts on a heap "
                        + "given back, like a live processor's at a poll an hour per target. The usage-pipeline "
                        + "command starts the bench with a heap of 2 GiB, touched at start (AlwaysPreTouch) and not "
                        + "given back before the latency stage (MaxHeapFreeRatio=100), so that no measured stage "
                        + "pays for the kernel handing it pages again (the collector's stage, after the latency "
                        + "stage, grows it again; USAGE_PIPELINE_JAVA_OPTS with -Xms or -XX:InitialHeapSize "
                        + "overrides it).",
                "Prints a table (and the peak heap of each stage, the CPU per raw poll of each throughput "
                        + "stage's own threads and its producers' waits for the broker at commits, the page faults "
                        + "the process took during it, on Linux, and the time the JIT spent compiling meanwhile; "
                        + "each round's rates) and with --json writes the figures. "
                        + "What bounds "
                        + "each figure: the README, \"Performance\"; every measurement behind it, with what was tried "
                        + "and not kept: bench/MEASUREMENTS.md."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "100",
            description = "Tenants of the processor's dataset (two polls each per hour). Default: ${DEFAULT-VALUE}.")
    int tenants;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30",
            description = "Days of hourly history in the dataset. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--collector-tenants", paramLabel = "N", defaultValue = "10000",
            description = "VAC tenants the collector polls in its slot. Default: ${DEFAULT-VALUE}.")
    int collectorTenants;

    @Option(names = "--latency-seconds", paramLabel = "N", defaultValue = "20",
            description = "How long the real-time latency stage publishes. Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--latency-rate", paramLabel = "N", defaultValue = "100",
            description = "Raw polls per second in the latency stage. Default: ${DEFAULT-VALUE}.")
    int latencyRate;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to this JSON file.")
    Path json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final Bench.Options options;
        try {
            options = new Bench.Options(tenants, days, collectorTenants, latencySeconds, latencyRate);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        final BenchReport report = new Bench(options).run(out);
        report.print(out);
        if (json != null) {
            Files.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
            out.printf("figures written to %s%n", json.toAbsolutePath());
        }
        return ExitCodes.OK;
    }
}
