/**
 * Writes billing records and current totals to files and PostgreSQL with exactly-once offsets. Shares nothing with
 * collector or processor but the events contract.
 */
package io.usagepipeline.sink;
