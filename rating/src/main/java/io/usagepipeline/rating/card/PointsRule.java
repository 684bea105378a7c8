package io.usagepipeline.rating.card;

/** Which monthly figure Veeam counts as points for the license types the pattern matches. */
public record PointsRule(Glob match, Basis figure) {
}
