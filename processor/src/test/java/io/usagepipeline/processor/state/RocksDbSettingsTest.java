package io.usagepipeline.processor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

class RocksDbSettingsTest {

    @Test
    void shouldOpenAStoresFilesWithOneThreadInsteadOfRocksDbsSixteen() {
        try (Options options = new Options()) {
            assertThat(options.maxFileOpeningThreads()).isEqualTo(16); // RocksDB's default, what a store had

            new RocksDbSettings().setConfig("series-store", options, Map.of());

            assertThat(options.maxFileOpeningThreads()).isEqualTo(1);
        }
    }
}
