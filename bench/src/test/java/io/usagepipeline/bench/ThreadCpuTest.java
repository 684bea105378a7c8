package io.usagepipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CPU a stage's threads used: theirs only, and only from the stage's start, threads started within it included. */
@Timeout(60)
class ThreadCpuTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** A thread that spins for some CPU, notes how much it has used, and waits to be released. */
    private static final class Spinner extends Thread {
        private final long spinNanos;
        private final CountDownLatch spun = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile long usedNanos;

        Spinner(final String name, final Duration spin) {
            super(name);
            this.spinNanos = spin.toNanos();
            setDaemon(true);
        }

        @Override
        public void run() {
            final long until = THREADS.getCurrentThreadCpuTime() + spinNanos;
            while (THREADS.getCurrentThreadCpuTime() < until) {
                Thread.onSpinWait();
            }
            usedNanos = THREADS.getCurrentThreadCpuTime();
            spun.countDown();
            try {
                release.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long awaitSpun() throws InterruptedException {
            assertThat(spun.await(30, TimeUnit.SECONDS)).isTrue();
            return usedNanos;
        }
    }

    @Test
    void shouldCountTheStagesThreadsFromItsStartOnly() throws Exception {
        final Spinner before = new Spinner("stage-before", Duration.ofMillis(80));
        before.start();
        final long usedBefore = before.awaitSpun(); // all of it before the stage: none counts

        try (ThreadCpu cpu = new ThreadCpu(thread -> thread.getThreadName().startsWith("stage-"))) {
            final Spinner during = new Spinner("stage-during", Duration.ofMillis(60));
            final Spinner other = new Spinner("other-during", Duration.ofMillis(60));
            during.start();
            other.start();
            final long usedDuring = during.awaitSpun();
            other.awaitSpun();

            final double expected = (THREADS.getThreadCpuTime(before.getId()) - usedBefore + usedDuring) / 1e9;
            assertThat(usedDuring).isGreaterThanOrEqualTo(Duration.ofMillis(60).toNanos());
            // the threads are parked: what they use between these readings is microseconds
            assertThat(cpu.seconds().orElseThrow()).isCloseTo(expected, within(0.005));
            before.release.countDown();
            during.release.countDown();
            other.release.countDown();
        }
    }

    @Test
    void shouldGiveNoFigureRatherThanZeroWhenNoThreadOfTheStageWasEverSeen() {
        try (ThreadCpu cpu = new ThreadCpu(thread -> thread.getThreadName().equals("no-such-thread"))) {
            assertThat(cpu.seconds()).isEmpty();
        }
        try (ThreadCpu cpu = ThreadCpu.ofCallingThread()) {
            assertThat(cpu.seconds()).isPresent();
        }
    }
}
