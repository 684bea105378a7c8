/**
 * A fake of the five Veeam licensing APIs and their token endpoints, with a fleet model that knows the ground
 * truth, fault injection and a virtual clock. It stands for an outside system, so it imports nothing of ours.
 */
package io.usagepipeline.simulator;
