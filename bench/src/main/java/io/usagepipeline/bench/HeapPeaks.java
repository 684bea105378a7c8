package io.usagepipeline.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The peak heap of each stage, in MiB, in the order the stages ran: in use, and live after collections. */
final class HeapPeaks {

    private final Map<String, Long> used = new LinkedHashMap<>();
    private final Map<String, Long> live = new LinkedHashMap<>();

    /** Takes a stage's figures from its sampler, while the stage is still running. */
    void put(final String stage, final HeapSampler sampler) {
        used.put(stage, sampler.peakMib());
        live.put(stage, sampler.peakLiveMib());
    }

    Map<String, Long> used() {
        return new LinkedHashMap<>(used);
    }

    Map<String, Long> live() {
        return new LinkedHashMap<>(live);
    }
}
