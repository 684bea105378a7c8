package io.usagepipeline.processor.alerts;

import io.usagepipeline.events.PollStatus;
import java.time.Instant;

/**
 * That a poll target answered, or not: what the alert rules learn of a poll. A COMPLETE poll that turned out
 * unreadable went to the DLQ and is reported as FAILED: its target gave no usable answer.
 *
 * @param tenantId the tenant of a single-tenant target; null for a console answering for many
 */
public record TargetPolled(String pollTarget, String tenantId, PollStatus status, Instant polledAt) {
}
