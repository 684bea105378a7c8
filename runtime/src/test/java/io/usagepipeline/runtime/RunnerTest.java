package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One lifecycle for every command: start in order, end on a signal or a failure, stop in reverse order. */
class RunnerTest {

    private final List<String> journal = new CopyOnWriteArrayList<>();

    @Test
    void shouldEndWithTheExitCodeOfAServiceThatFailedAndStopEveryServiceInReverseOrder() throws Exception {
        final FakeService broker = new FakeService("broker", journal, false);
        final FakeService sink = new FakeService("sink", journal, false);
        try (Runner runner = new Runner(List.of(broker, sink), Runner.registry(), Runner.Endpoints.NONE,
                Duration.ofSeconds(1))) {
            runner.start();
            final Future<Integer> end = Executors.newSingleThreadExecutor().submit(runner::awaitEnd);
            sink.health = Health.down("FAILED", "disk full");
            sink.ended = OptionalInt.of(ExitCodes.FAILED);

            assertThat(end.get()).isEqualTo(ExitCodes.FAILED);
            assertThat(runner.health()).containsEntry("sink", Health.down("FAILED", "disk full"));
        }
        assertThat(journal).containsExactly("start broker", "start sink", "stop sink", "stop broker");
    }

    @Test
    void shouldEndWithZeroWhenAServiceHasDoneItsWork() throws Exception {
        final FakeService once = new FakeService("collector", journal, false);
        once.ended = OptionalInt.of(ExitCodes.OK);

        assertThat(Runner.run(List.of(once), Runner.registry(), Runner.Endpoints.NONE, Duration.ofSeconds(1)))
                .isZero();
        assertThat(journal).containsExactly("start collector", "stop collector");
    }

    @Test
    void shouldStopWhatStartedWhenAServiceCannotStart() {
        final FakeService broker = new FakeService("broker", journal, false);
        final FakeService sink = new FakeService("sink", journal, true);
        final FakeService collector = new FakeService("collector", journal, false);

        assertThatThrownBy(() -> Runner.run(List.of(broker, sink, collector), Runner.registry(),
                Runner.Endpoints.NONE, Duration.ofSeconds(1))).hasMessage("sink cannot start");
        assertThat(journal).containsExactly("start broker", "stop broker");
    }
}
