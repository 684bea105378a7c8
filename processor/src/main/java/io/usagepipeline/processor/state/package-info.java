/**
 * The binary encoding of the processor's internal state: compact, versioned, and private to the processor. The JSON
 * contract of the topics others read is untouched; these bytes only ever reach the processor's own stores and their
 * changelogs.
 */
package io.usagepipeline.processor.state;
