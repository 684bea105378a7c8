package io.usagepipeline.rating.card;

/**
 * Which monthly figure Veeam counts as points for the license types the pattern matches; {@code figure} null
 * ({@code figure: NONE}) for types that are no Veeam points of their own, e.g. VSPC's per-server license usage when
 * the usage per organization counts the same licenses per workload.
 */
public record PointsRule(Glob match, Basis figure) {

    /** How a rule says its types are not counted. */
    public static final String NONE = "NONE";
}
