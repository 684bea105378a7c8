package io.usagepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A bare JDK HTTP client against the simulator, as any outside client would talk to it. */
final class SimClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    SimClient(final String base) {
        this.base = base;
    }

    HttpResponse<String> get(final String path, final String token, final String... headers) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET()
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getWithTimeout(final String path, final String token, final Duration timeout)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().timeout(timeout)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(final String path, final String form, final String... headers) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(final String path, final String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in with the password grant; returns the whole token answer. */
    JsonNode login(final String tokenPath, final Credentials credentials, final String... headers) throws Exception {
        final HttpResponse<String> response = post(tokenPath, "grant_type=password&username="
                + URLEncoder.encode(credentials.username(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(credentials.password(), StandardCharsets.UTF_8), headers);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    static JsonNode json(final String text) throws IOException {
        return SimResponse.JSON.readTree(text);
    }
}
