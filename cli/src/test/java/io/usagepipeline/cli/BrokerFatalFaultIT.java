package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.runtime.ExitCodes;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline broker} when Kafka stops on a fatal fault (a failed log directory, a dead controller channel):
 * Kafka asks to halt the JVM, which the embedded broker refuses so as not to kill its host, and the broker would go on
 * without the thread that asked, hanging its clients. The command ends instead, with exit code 1, as a Kafka process
 * would, so that a supervisor restarts it. Run in this JVM, since the fault is raised here the way Kafka raises it.
 */
@Timeout(300) // a hung test fails here, not at CI's limit
class BrokerFatalFaultIT {

    @Test
    void shouldEndWithExitCodeOneWhenKafkaStopsOnAFatalFault(@TempDir final Path dataDir) throws Exception {
        final int port = CliProcess.freePort();
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.commandLine().execute(
                "broker", "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
        await().atMost(Duration.ofSeconds(120)).failFast("the broker command ended", exit::isDone)
                .until(() -> answers(port));

        assertThatThrownBy(() -> Exit.halt(1, "simulated failure of every log directory"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(exit.get(120, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILED);
        assertThat(answers(port)).isFalse(); // stopped, not left hanging its clients
    }

    private static boolean answers(final int port) {
        try (Socket socket = new Socket("localhost", port)) {
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}
