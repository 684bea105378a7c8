package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.processor.state.StoreOptions;
import io.usagepipeline.processor.state.WriteBackStore;
import io.usagepipeline.processor.state.WriteBackWindowStore;
import java.util.Set;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which stores keep changelogs (stamped by the broker), and what a run without them does when a task comes back
 * without its state.
 */
class StoreOptionsTest {

    @Test
    void shouldKeepAChangelogForEveryStoreOfAProcessorThatRunsOn() {
        final Set<StoreBuilder<?>> stores = ProcessorStores.builders(ProcessorConfig.defaults(),
                new StoreOptions(true));

        assertThat(stores).hasSize(8).allMatch(StoreBuilder::loggingEnabled)
                // the broker stamps each changelog record when written, so that retention counts from then
                .allSatisfy(store -> assertThat(store.logConfig())
                        .containsEntry("message.timestamp.type", "LogAppendTime"));
    }

    @Test
    void shouldKeepNoChangelogForAReplay() {
        final Set<StoreBuilder<?>> stores = ProcessorStores.builders(ProcessorConfig.defaults(),
                new StoreOptions(false));

        assertThat(stores).hasSize(8).noneMatch(StoreBuilder::loggingEnabled);
    }

    /**
     * A replay's history and seen polls are kept by day, a value updated many times; a processor that runs on keeps
     * one entry per observation and poll, written once each, which go straight to their stores.
     */
    @ParameterizedTest(name = "changelogs {0}")
    @ValueSource(booleans = {false, true})
    void shouldHoldTheValuesOfTheStoresWhoseValuesAreUpdatedInEveryRun(final boolean changelogs) {
        final Set<String> updated = Set.of(ProcessorStores.TARGETS, ProcessorStores.SERIES, ProcessorStores.PERIODS,
                ProcessorStores.HISTORY_BY_DAY, ProcessorStores.SEEN_BY_DAY);

        assertThat(ProcessorStores.builders(ProcessorConfig.defaults(), new StoreOptions(changelogs)))
                .allSatisfy(store -> assertThat(held(store))
                        .as(store.name()).isEqualTo(updated.contains(store.name())));
    }

    @Test
    void shouldKeepHistoryAndSeenPollsByDayOnlyInARunWithoutChangelogs() {
        // a new run needs no upgrade path, so it keeps the layout a replay writes cheaply
        assertThat(ProcessorStores.builders(ProcessorConfig.defaults(), new StoreOptions(false)))
                .extracting(StoreBuilder::name).contains(ProcessorStores.HISTORY_BY_DAY, ProcessorStores.SEEN_BY_DAY)
                .doesNotContain(ProcessorStores.HISTORY, ProcessorStores.DEDUP);
        // a processor that runs on keeps one entry per observation and poll, the layout its changelog and upgrades know
        assertThat(ProcessorStores.builders(ProcessorConfig.defaults(), new StoreOptions(true)))
                .extracting(StoreBuilder::name).contains(ProcessorStores.HISTORY, ProcessorStores.DEDUP)
                .doesNotContain(ProcessorStores.HISTORY_BY_DAY, ProcessorStores.SEEN_BY_DAY);
    }

    private static boolean held(final StoreBuilder<?> store) {
        final Object built = store.build();
        return built instanceof WriteBackStore || built instanceof WriteBackWindowStore;
    }

    @Test
    void shouldKeepTheStoresInTheHeapOnlyForARunWithoutChangelogs() {
        // a new run's state is thrown away after: nothing of it to write to files, open and close per task
        assertThat(ProcessorStores.builders(ProcessorConfig.defaults(), new StoreOptions(false)))
                .allSatisfy(store -> assertThat(store.build().persistent()).as(store.name()).isFalse());
        // a processor that runs on restores them from their changelogs, and may be one upgraded from older formats
        assertThat(ProcessorStores.builders(ProcessorConfig.defaults(), new StoreOptions(true)))
                .allSatisfy(store -> assertThat(store.build().persistent()).as(store.name()).isTrue());
    }

    @Test
    void shouldStopARunWithoutChangelogsWhenATaskThatHadStateIsOpenedWithNone() {
        final StoreOptions replay = new StoreOptions(false);
        final TaskId task = new TaskId(0, 1);
        replay.opened(task, () -> true);
        replay.wroteState(task);

        // Kafka Streams closed it on an error, deleted its state directory and opened it again
        assertThatThrownBy(() -> replay.opened(task, () -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task 0_1 was opened again without the state it had, in a run without "
                        + "changelogs");
    }

    @Test
    void shouldLetATaskOfARunWithoutChangelogsMoveWithItsState() {
        final StoreOptions replay = new StoreOptions(false);
        final TaskId task = new TaskId(0, 1);
        replay.opened(task, () -> true);
        replay.wroteState(task);

        replay.opened(task, () -> false); // closed cleanly and opened on another stream thread: its stores are kept
        replay.opened(new TaskId(0, 2), () -> true); // another task, opened again before it wrote anything
        replay.opened(new TaskId(0, 2), () -> true);
    }

    @Test
    void shouldLetAProcessorWithChangelogsOpenATaskAgainWithEmptyStores() {
        final StoreOptions live = new StoreOptions(true);
        final TaskId task = new TaskId(0, 1);
        live.opened(task, () -> true);
        live.wroteState(task);
        live.opened(task, () -> true); // its stores are restored from their changelogs after this
    }
}
