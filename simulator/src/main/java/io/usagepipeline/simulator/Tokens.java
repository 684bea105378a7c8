package io.usagepipeline.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of one appliance: password and refresh-token grants, access tokens that expire after the configured
 * lifetime in real time (a collector's own clock), refresh tokens that rotate, and revocation for fault injection.
 */
final class Tokens {

    /** A granted session. */
    record Grant(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    private final String username;
    private final String password;
    private final String apiKey;
    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Instant> access = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refresh = new ConcurrentHashMap<>();

    Tokens(final String username, final String password, final String apiKey, final Duration lifetime,
           final Clock clock) {
        this.username = username;
        this.password = password;
        this.apiKey = apiKey;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    String apiKey() {
        return apiKey;
    }

    /** Null when the credentials are wrong. */
    Grant passwordGrant(final String user, final String secret) {
        return username.equals(user) && password.equals(secret) ? issue() : null;
    }

    /** Null when the refresh token is unknown or used; a used refresh token is spent (rotation). */
    Grant refreshGrant(final String refreshToken) {
        return refreshToken != null && refresh.remove(refreshToken) != null ? issue() : null;
    }

    /** What is wrong with a bearer token, or null when it may pass. */
    Problem check(final String token) {
        if (token == null) {
            return Problem.MISSING;
        }
        if (apiKey != null && apiKey.equals(token)) {
            return null;
        }
        final Instant expires = access.get(token);
        if (expires == null) {
            return Problem.INVALID;
        }
        return clock.instant().isBefore(expires) ? null : Problem.EXPIRED;
    }

    /** Revokes every session (a token revoked in the middle of paging, or an admin logging everyone out). */
    void revokeAll() {
        access.clear();
        refresh.clear();
    }

    private Grant issue() {
        final String token = UUID.randomUUID().toString();
        final String rotated = UUID.randomUUID().toString();
        access.put(token, clock.instant().plus(lifetime));
        refresh.put(rotated, Boolean.TRUE);
        return new Grant(token, rotated, lifetime.toSeconds());
    }

    enum Problem { MISSING, INVALID, EXPIRED }
}
