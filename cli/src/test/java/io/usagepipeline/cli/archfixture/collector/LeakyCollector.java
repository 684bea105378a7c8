package io.usagepipeline.cli.archfixture.collector;

import io.usagepipeline.cli.archfixture.sink.SinkInternals;

/** Breaks the rules on purpose: a collector reaching into the sink. */
public final class LeakyCollector {
    public int peek() {
        return new SinkInternals().secret();
    }
}
