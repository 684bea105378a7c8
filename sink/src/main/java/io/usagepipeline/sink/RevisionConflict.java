package io.usagepipeline.sink;

/**
 * A record under a key and revision that an output already holds, with other content: what two publishers of one
 * topic produce (two raters or processors under different application ids; one started with {@code --new-state} over
 * records that differ). An output keeps the first it wrote of each revision, while the compacted topic keeps the last,
 * so a sink rebuilt from the topic would show the other one: the sink never lets that pass in silence.
 *
 * @param differences how the new record differs from the one held, for the log
 */
public record RevisionConflict(String topic, String key, int revision, String differences) {
}
