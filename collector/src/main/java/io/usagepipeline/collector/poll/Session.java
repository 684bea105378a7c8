package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.http.ReadOnlyHttp;
import io.usagepipeline.events.SourceKind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The login of one source. Logs in with the password grant (each product's dialect and token path), refreshes ahead
 * of {@code expires_in} with the rotated refresh token, and after a 401 logs in again from scratch. A VSPC source
 * with an API key sends the key as its bearer token and never logs in. The token call is retried like every other
 * call (connect errors, timeouts, 429, 5xx), within the poll's deadline.
 */
public final class Session {

    /** Refresh when this share of the lifetime has passed, so a crawl never starts on a token about to expire. */
    private static final double REFRESH_AT = 0.8;

    private final Source source;
    private final ReadOnlyHttp http;
    private final Clock clock;
    private final Duration timeout;
    private final Retrier retrier;
    private String accessToken;
    private String refreshToken;
    private Instant refreshAfter = Instant.MIN;

    Session(final Source source, final ReadOnlyHttp http, final Clock clock, final Duration timeout,
            final Retrier retrier) {
        this.source = source;
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
        this.retrier = retrier;
    }

    /** The token URI of a source: the one POST the collector may send. */
    public static URI tokenUri(final Source source) {
        return URI.create(source.baseUrl() + switch (source.kind()) {
            case VBA_AWS -> "/api/v1/token";
            case VBA_AZURE -> "/api/oauth2/token";
            case VAC -> "/token";
            case VSPC -> "/api/v3/token";
        });
    }

    /** The headers every request of this source carries (product version headers). */
    Map<String, String> productHeaders() {
        return switch (source.kind()) {
            case VBA_AWS -> Map.of("x-api-version", source.apiVersion(), "Accept", "application/json");
            case VSPC -> Map.of("X-Client-Version", "3.6", "Accept", "application/json");
            default -> Map.of("Accept", "application/json");
        };
    }

    /** A valid bearer token, logging in or refreshing first when needed, before {@code deadline}. */
    synchronized String bearer(final Instant deadline) throws PollFailure, InterruptedException {
        if (source.apiKey() != null) {
            return source.apiKey().reveal();
        }
        if (accessToken != null && clock.instant().isBefore(refreshAfter)) {
            return accessToken;
        }
        if (refreshToken == null || !grant("grant_type=refresh_token&refresh_token=" + encode(refreshToken),
                deadline)) {
            if (!grant("grant_type=" + (source.kind() == SourceKind.VBA_AZURE ? "Password" : "password")
                    + "&username=" + encode(source.username()) + "&password=" + encode(source.password().reveal()),
                    deadline)) {
                throw new PollFailure("AUTH", 401, "source " + source.id() + ": login refused for user "
                        + source.username());
            }
        }
        return accessToken;
    }

    /** After a 401: the token is no good (expired early, revoked); the next request logs in from scratch. */
    synchronized void invalidate() {
        accessToken = null;
        refreshToken = null;
    }

    private boolean grant(final String form, final Instant deadline) throws PollFailure, InterruptedException {
        final Map<String, String> headers = source.kind() == SourceKind.VBA_AWS
                ? Map.of("x-api-version", source.apiVersion()) : Map.of();
        final Answer answer = retrier.call(source.id() + " token", () -> Answer.of(http.postToken(form, headers,
                Retrier.within(timeout, deadline, clock))), deadline);
        if (answer.status() == 400 || answer.status() == 401) {
            return false;
        }
        if (!answer.ok()) {
            throw new PollFailure("AUTH", answer.status(), "source " + source.id() + ": token endpoint answered "
                    + answer.status() + " " + ErrorBodies.describe(answer));
        }
        final JsonNode login = answer.json();
        accessToken = login.path("access_token").asText(null);
        refreshToken = login.path("refresh_token").asText(null);
        final long lifetime = login.path("expires_in").asLong(3600);
        refreshAfter = clock.instant().plusMillis((long) (lifetime * 1000 * REFRESH_AT));
        return accessToken != null;
    }

    private static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
