/**
 * The alert rules of DESIGN §4d that watch usage (TARGET_FAILING, DROPPED_TO_ZERO, SPIKE): a node of its own after
 * the processor, with stores of its own, deciding on stream time so that a replay gives the same alerts.
 */
package io.usagepipeline.processor.alerts;
