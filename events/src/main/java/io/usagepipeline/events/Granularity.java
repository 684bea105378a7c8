package io.usagepipeline.events;

/** Billing period lengths: calendar days and calendar months in the billing zone. */
public enum Granularity {
    DAY,
    MONTH
}
