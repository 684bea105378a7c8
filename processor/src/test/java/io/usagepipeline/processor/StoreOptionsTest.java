package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.processor.state.StoreOptions;
import java.util.Set;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

/** Which stores keep changelogs, and what a run without them does when a task is opened again. */
class StoreOptionsTest {

    @Test
    void shouldKeepAChangelogForEveryStoreOfAProcessorThatRunsOn() {
        final Set<StoreBuilder<?>> stores = ProcessorStores.builders(ProcessorConfig.defaults(),
                new StoreOptions(true, true));

        assertThat(stores).hasSize(8).allMatch(StoreBuilder::loggingEnabled);
    }

    @Test
    void shouldKeepNoChangelogForAReplay() {
        final Set<StoreBuilder<?>> stores = ProcessorStores.builders(ProcessorConfig.defaults(),
                new StoreOptions(true, false));

        assertThat(stores).hasSize(8).noneMatch(StoreBuilder::loggingEnabled);
    }

    @Test
    void shouldStopARunWithoutChangelogsWhenATaskIsOpenedASecondTime() {
        final StoreOptions replay = new StoreOptions(true, false);
        replay.initialised(new TaskId(0, 1));
        replay.initialised(new TaskId(0, 2));

        assertThatThrownBy(() -> replay.initialised(new TaskId(0, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task 0_1 was opened a second time in a run without changelogs");
    }

    @Test
    void shouldLetAProcessorWithChangelogsOpenATaskAgain() {
        final StoreOptions live = new StoreOptions(false, true);
        live.initialised(new TaskId(0, 1));
        live.initialised(new TaskId(0, 1)); // restored from its changelog, as after any rebalance
    }
}
