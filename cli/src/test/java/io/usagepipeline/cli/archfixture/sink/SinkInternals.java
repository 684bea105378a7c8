package io.usagepipeline.cli.archfixture.sink;

public final class SinkInternals {
    public int secret() {
        return 42;
    }
}
