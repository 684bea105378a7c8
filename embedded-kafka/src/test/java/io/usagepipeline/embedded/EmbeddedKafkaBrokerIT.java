package io.usagepipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(600) // a hung test fails here, not at CI's limit
class EmbeddedKafkaBrokerIT {

    @Test
    void shouldKeepTopicsAndRecordsWhenRestartedOnTheSameDirectory(@TempDir final Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
            KafkaClients.createTopic(broker.bootstrapServers(), "kept", 2);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
                producer.send(new ProducerRecord<>("kept", "k1", "first")).get();
                producer.send(new ProducerRecord<>("kept", "k2", "second")).get();
            }
        }

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
            assertThat(KafkaClients.topics(again.bootstrapServers())).contains("kept");
            assertThat(KafkaClients.readValues(again.bootstrapServers(), "kept", "read_committed", 2,
                    Duration.ofSeconds(30))).containsExactlyInAnyOrder("first", "second");
        }
        assertThat(dir).exists();
    }

    @Test
    void shouldListenOnTheRequestedPortAndDeleteItsTemporaryDirectory() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final Path dataDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(port).build().start()) {
            dataDir = broker.dataDir();
            assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(KafkaClients.topics(broker.bootstrapServers())).isNotNull();
        }
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void shouldKeepTheJvmAliveWhenKafkaAsksToExit() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            assertThatThrownBy(() -> Exit.halt(1, "simulated fatal fault"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("simulated fatal fault");
            assertThat(broker.isRunning()).isTrue();
            // whoever runs it learns of it: the thread that asked has ended, and the broker hangs what needed it
            assertThat(broker.fatalFault()).hasValue("Kafka asked to halt with status 1: simulated fatal fault");
            assertThatThrownBy(() -> Exit.exit(2, "a second fault")).isInstanceOf(IllegalStateException.class);
            assertThat(broker.fatalFault()).hasValue("Kafka asked to halt with status 1: simulated fatal fault");
        }
        try (EmbeddedKafkaBroker next = EmbeddedKafkaBroker.builder().build().start()) {
            assertThat(next.fatalFault()).isEmpty(); // a broker started after them all stopped has none
        }
    }

    @Test
    void shouldTurnAwayASecondBrokerOnADirectoryInUse(@TempDir final Path dir) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
            KafkaClients.createTopic(first.bootstrapServers(), "untouched", 1);

            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().dataDir(dir).build().start())
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessage("the data directory " + dir + " is in use by another running broker");
            assertThat(KafkaClients.topics(first.bootstrapServers())).contains("untouched");
        }
    }

    @Test
    void shouldSayWhenTheRequestedPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("localhost"))) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build().start())
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on localhost is already in use");
        }
    }

    @Test
    void shouldRejectAPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }
}
