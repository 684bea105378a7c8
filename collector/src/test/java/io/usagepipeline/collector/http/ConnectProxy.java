package io.usagepipeline.collector.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy of the kind that stands between a provider's collector and the internet, as far as an https source
 * needs one: it answers {@code CONNECT host:port} with a tunnel to that address and passes the bytes both ways (the
 * TLS inside is the client's and the server's), after asking for an account where it was given one. It remembers what
 * it was asked to connect to.
 */
final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    /** The {@code Proxy-Authorization} a CONNECT must carry; null for a proxy that asks for no credentials. */
    private final String authorization;
    private final List<String> refused = new CopyOnWriteArrayList<>();

    ConnectProxy() throws IOException {
        this(null, null);
    }

    /** A proxy that answers 407 to a CONNECT without this Basic account, as Squid with {@code basic_ncsa_auth} does. */
    ConnectProxy(final String username, final String password) throws IOException {
        authorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(this::accept, "connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of every tunnel opened, in order. */
    List<String> tunnels() {
        return List.copyOf(tunnels);
    }

    /** The {@code Proxy-Authorization} of every CONNECT answered 407 ("none" where it had none), in order. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket client = server.accept();
                final Thread handler = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
                handler.setDaemon(true);
                handler.start();
            } catch (final IOException e) {
                return; // closed
            }
        }
    }

    private void tunnel(final Socket client) {
        try (client) {
            final InputStream in = client.getInputStream();
            final String head = head(in);
            final String[] request = head.split("\r\n", 2)[0].split(" ");
            final OutputStream out = client.getOutputStream();
            if (request.length != 3 || !"CONNECT".equals(request[0])) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (authorization != null) {
                final String given = head.lines().filter(line -> line.regionMatches(true, 0,
                        "Proxy-Authorization:", 0, 20)).map(line -> line.substring(20).strip()).findFirst()
                        .orElse("none");
                if (!authorization.equals(given)) {
                    refused.add(given);
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
                            + "realm=\"egress\"\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
            }
            tunnels.add(request[1]);
            final int colon = request[1].lastIndexOf(':');
            try (Socket target = new Socket(request[1].substring(0, colon),
                    Integer.parseInt(request[1].substring(colon + 1)))) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final Thread back = new Thread(() -> pipe(target, client), "connect-proxy-back");
                back.setDaemon(true);
                back.start();
                pipe(client, target);
                back.join(10_000);
            }
        } catch (final IOException | InterruptedException e) {
            // the client or the target went away: the tunnel ends
        }
    }

    /** The request line and headers, up to the blank line that ends them. */
    private static String head(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before its request ended");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void pipe(final Socket from, final Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (final IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
