package io.usagepipeline.processor.state;

import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds a store as the builder it wraps does, without the Streams record cache, behind a {@link WriteBackStore}. */
final class WriteBackStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {

    private final StoreBuilder<KeyValueStore<K, V>> inner;
    private final int capacity;

    WriteBackStoreBuilder(final StoreBuilder<KeyValueStore<K, V>> inner, final int capacity) {
        this.inner = inner.withCachingDisabled();
        this.capacity = capacity;
    }

    @Override
    public KeyValueStore<K, V> build() {
        return new WriteBackStore<>(inner.build(), capacity);
    }

    /** The store has its cache already: the record cache would only hold the same values again, as bytes. */
    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
        return inner;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(final Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
