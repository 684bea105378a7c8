package io.usagepipeline.events;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Why Kafka did not answer, in words a person can act on. A Kafka client that gets no answer says only "Timed out
 * waiting for a node assignment", and the line that would say more (the network client's "could not be established",
 * every second per client) is kept off the console, so this asks each bootstrap address itself: is the host known,
 * does anything listen there, does a connection open.
 */
public final class KafkaSilence {

    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(2);

    private KafkaSilence() {
    }

    /**
     * The reason to show for a failed request to Kafka: for a timeout, what a connection to each bootstrap address
     * finds; for any other error (a missing grant, a failed authentication), its own message.
     */
    public static String explain(final Throwable failure, final String bootstrapServers) {
        final Throwable cause = failure instanceof ExecutionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException
                || cause instanceof java.util.concurrent.TimeoutException) {
            return at(bootstrapServers);
        }
        return String.valueOf(cause.getMessage());
    }

    /** What a TCP connection to each of the comma-separated {@code host:port} addresses finds, joined by "; ". */
    public static String at(final String bootstrapServers) {
        final List<String> findings = new ArrayList<>();
        for (final String address : bootstrapServers.split(",")) {
            findings.add(connect(address.strip()));
        }
        return String.join("; ", findings);
    }

    private static String connect(final String address) {
        final int colon = address.lastIndexOf(':');
        final int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (final NumberFormatException | IndexOutOfBoundsException e) {
            return "'" + address + "' is not a host:port address";
        }
        final String host = address.substring(0, colon);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_WITHIN.toMillis());
            return "a connection to " + address + " opens, but the client got no answer it could use: does the "
                    + "listener there expect other security settings (kafka.security.protocol, kafka.sasl.*), or does "
                    + "the broker advertise an address this host cannot reach?";
        } catch (final UnknownHostException e) {
            return "the host of " + address + " is unknown";
        } catch (final ConnectException e) {
            return "nothing listens at " + address + " (connection refused)";
        } catch (final SocketTimeoutException e) {
            return address + " did not accept a connection within " + CONNECT_WITHIN.toSeconds()
                    + " s (a host that is down, or a firewall)";
        } catch (final IOException | IllegalArgumentException e) {
            return "cannot connect to " + address + " (" + e.getMessage() + ")";
        }
    }
}
