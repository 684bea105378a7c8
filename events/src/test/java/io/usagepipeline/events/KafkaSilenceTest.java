package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a person is told when Kafka does not answer: what a connection to each bootstrap address found. */
class KafkaSilenceTest {

    @Test
    void shouldSayThatNothingListensAtAClosedPort() throws Exception {
        final String closed = "127.0.0.1:" + closedPort();

        assertThat(KafkaSilence.explain(new ExecutionException(
                new TimeoutException("Timed out waiting for a node assignment. Call: listTopics")), closed))
                .isEqualTo("nothing listens at " + closed + " (connection refused)");
    }

    @Test
    void shouldSayThatAConnectionOpensWhereSomethingListensButKafkaDoesNotAnswer() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final String address = "127.0.0.1:" + listening.getLocalPort();

            assertThat(KafkaSilence.explain(new java.util.concurrent.TimeoutException(), address))
                    .startsWith("a connection to " + address + " opens, but the client got no answer it could use")
                    .contains("kafka.security.protocol");
        }
    }

    @Test
    void shouldSayWhatEachBootstrapAddressFound() throws Exception {
        final String closed = "127.0.0.1:" + closedPort();

        assertThat(KafkaSilence.at(closed + ", kafka-2"))
                .isEqualTo("nothing listens at " + closed + " (connection refused); 'kafka-2' is not a host:port "
                        + "address");
    }

    @Test
    void shouldKeepTheMessageOfAnErrorThatIsNotATimeout() {
        assertThat(KafkaSilence.explain(new ExecutionException(
                new SaslAuthenticationException("Authentication failed: Invalid username or password")),
                "127.0.0.1:9"))
                .isEqualTo("Authentication failed: Invalid username or password");
    }

    /** A port nothing listens on: one the system just gave out and took back. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
