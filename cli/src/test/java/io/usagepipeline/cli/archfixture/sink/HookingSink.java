package io.usagepipeline.cli.archfixture.sink;

/** Breaks the rules on purpose: a stage that runs its own shutdown instead of the runner. */
public final class HookingSink {
    public void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }));
    }
}
