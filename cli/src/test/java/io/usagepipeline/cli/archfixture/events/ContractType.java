package io.usagepipeline.cli.archfixture.events;

public final class ContractType {
}
