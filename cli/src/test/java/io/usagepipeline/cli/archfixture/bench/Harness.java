package io.usagepipeline.cli.archfixture.bench;

/** A benchmark harness, which measures stages. */
public final class Harness {
    public static long now() {
        return System.nanoTime();
    }
}
