package io.usagepipeline.cli.archfixture.processor;

import io.usagepipeline.cli.archfixture.bench.Harness;

/** Breaks the rules on purpose: a stage that needs the benchmark on its classpath. */
public final class BenchmarkedProcessor {
    public long process() {
        return Harness.now();
    }
}
