package io.usagepipeline.cli.archfixture.simulator;

import io.usagepipeline.cli.archfixture.events.ContractType;

/** Breaks the rules on purpose: the fake outside system knows our contract. */
public final class KnowingSimulator {
    public String name() {
        return new ContractType().toString();
    }
}
