package io.usagepipeline.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A real headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it when missing) that opens a local
 * page the way a person's browser would. Every request for anything but the file itself goes to a proxy of ours that
 * only counts connections, so a page that fetches anything from anywhere is caught; the console is read from the
 * browser's log.
 */
final class HeadlessChromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    /**
     * The browser's own services, which it calls whatever page it shows (clock, component updates, sign-in), even
     * with background networking off: not the page's requests. Font and script hosts are not among them.
     */
    private static final List<String> BROWSER_SERVICES = List.of("clients2.google.com", "update.googleapis.com",
            "accounts.google.com", "safebrowsing.googleapis.com", "optimizationguide-pa.googleapis.com",
            "content-autofill.googleapis.com", ".gvt1.com");

    /** What the browser made of a page. */
    record Page(String dom, List<String> consoleErrors, List<String> outsideRequests) {
    }

    private final Path binary;

    private HeadlessChromium(final Path binary) {
        this.binary = binary;
    }

    /** The browser of this machine, if it has one. */
    static Optional<HeadlessChromium> find() {
        final String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(":")).flatMap(dir -> NAMES.stream().map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst().map(HeadlessChromium::new);
    }

    /** Loads the page and returns its DOM after rendering; with {@code screenshot}, also a PNG of it. */
    Page open(final Path page, final Path screenshot, final Path work) throws IOException, InterruptedException {
        try (ServerSocket proxy = new ServerSocket(0)) {
            final List<String> requests = new CopyOnWriteArrayList<>();
            final Thread counter = new Thread(() -> {
                while (!proxy.isClosed()) {
                    try (Socket socket = proxy.accept()) {
                        socket.setSoTimeout(2000);
                        // the request line says what the browser wanted: "GET http://host/path" or "CONNECT host:443"
                        final String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.US_ASCII)).readLine();
                        // a connection closed before its first byte asked for nothing (seen once in CI, most
                        // likely one of the browser's own calls below cut short as it exits); a page's request
                        // always comes with its request line, which the leaky-page check shows
                        if (line != null) {
                            requests.add(line);
                        }
                    } catch (final SocketException e) {
                        return; // closed
                    } catch (final IOException e) {
                        requests.add("unreadable: " + e);
                    }
                }
            }, "chromium-proxy");
            counter.setDaemon(true);
            counter.start();
            final String dom = run(page, work, proxy.getLocalPort(), "--dump-dom");
            final String log = Files.exists(work.resolve("chrome_debug.log"))
                    ? Files.readString(work.resolve("chrome_debug.log")) : "";
            run(page, work, proxy.getLocalPort(), "--screenshot=" + screenshot.toAbsolutePath(),
                    "--window-size=1100,1600");
            final List<String> errors = new ArrayList<>();
            log.lines().filter(line -> line.contains(":CONSOLE(")).forEach(errors::add);
            return new Page(dom, errors, requests.stream().filter(request -> BROWSER_SERVICES.stream()
                    .noneMatch(service -> request.matches("\\S+ (https?://)?[^/ ]*" + Pattern.quote(service)
                            + "[:/ ].*"))).toList());
        }
    }

    /**
     * Prints the page as the browser's print would, on A4 (narrower than Letter) without the browser's header and
     * footer, and returns the printed text: what a column cut off at the page's edge no longer holds.
     */
    String printOnA4(final Path page, final Path work) throws IOException, InterruptedException {
        // the paper size is the page's own choice (CSS @page), so a copy of it chooses A4
        final Path copy = work.resolve("a4-" + page.getFileName());
        Files.writeString(copy, Files.readString(page).replaceFirst("</head>",
                "<style>@page { size: A4; }</style></head>"));
        final Path pdf = work.resolve(page.getFileName() + ".pdf");
        // a statement fetches nothing (open() checks that); the proxy, never answering, keeps the browser off the net
        try (ServerSocket proxy = new ServerSocket(0)) {
            run(copy, work, proxy.getLocalPort(), "--print-to-pdf=" + pdf.toAbsolutePath(),
                    "--no-pdf-header-footer");
        }
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            return new PDFTextStripper().getText(document);
        }
    }

    private String run(final Path page, final Path work, final int proxyPort, final String... what)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                // the browser's own traffic (updates, safe browsing, metrics) must not pass for the page's
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-domain-reliability", "--no-default-browser-check",
                "--disable-client-side-phishing-detection", "--metrics-recording-only", "--no-pings",
                "--user-data-dir=" + work.resolve("profile").toAbsolutePath(),
                "--enable-logging", "--v=0", "--log-file=" + work.resolve("chrome_debug.log").toAbsolutePath(),
                "--proxy-server=http://127.0.0.1:" + proxyPort, "--proxy-bypass-list=<-loopback>"));
        command.addAll(List.of(what));
        command.add(page.toAbsolutePath().toUri().toString());
        final Path out = Files.createTempFile(work, "chromium", ".out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish with " + page + " within two minutes");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
