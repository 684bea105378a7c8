package io.usagepipeline.processor.state;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a store as the builder it wraps does, without the Streams record cache, behind a layer that holds its values
 * ({@link WriteBackStore}, {@link WriteBackWindowStore}).
 */
final class WriteBackStoreBuilder<T extends StateStore> implements StoreBuilder<T> {

    private final StoreBuilder<T> inner;
    private final UnaryOperator<T> holding;

    /** @param holding puts the holding layer over the store built */
    WriteBackStoreBuilder(final StoreBuilder<T> inner, final UnaryOperator<T> holding) {
        this.inner = inner.withCachingDisabled();
        this.holding = holding;
    }

    @Override
    public T build() {
        return holding.apply(inner.build());
    }

    /** The store has its cache already: the record cache would only hold the same values again, as bytes. */
    @Override
    public StoreBuilder<T> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        return inner;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(final Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
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
