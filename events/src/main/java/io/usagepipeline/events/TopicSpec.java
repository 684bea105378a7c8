package io.usagepipeline.events;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the contract: its base name, the serdes of its keys and values, and the topic configs it is created
 * with. Immutable; the name an installation uses is {@link #name(String)} with its optional prefix.
 */
public record TopicSpec<K, V>(String baseName, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        configs = Map.copyOf(configs);
    }

    /** The topic name under an optional prefix; a null or empty prefix gives the base name. */
    public String name(final String prefix) {
        return prefix == null || prefix.isEmpty() ? baseName : prefix + baseName;
    }
}
