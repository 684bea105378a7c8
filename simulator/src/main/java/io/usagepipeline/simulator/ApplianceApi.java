package io.usagepipeline.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What every simulated appliance shares: its token endpoint (form-encoded password and refresh_token grants, the
 * grant type compared case-insensitively) and bearer checks. Subclasses add their data endpoints and error dialect.
 */
abstract class ApplianceApi {

    protected final Fleet fleet;
    protected final Fleet.Appliance appliance;
    protected final Tokens tokens;

    ApplianceApi(final Fleet fleet, final Fleet.Appliance appliance, final Tokens tokens) {
        this.fleet = fleet;
        this.appliance = appliance;
        this.tokens = tokens;
    }

    Tokens tokens() {
        return tokens;
    }

    /** The token path below the appliance prefix, e.g. {@code /api/v1/token}. */
    abstract String tokenPath();

    /** Answers a data request that passed authentication; {@code shifted}: the collection moves under the reader. */
    abstract SimResponse data(SimRequest request, Instant now, boolean shifted);

    /** The product's error body for a status. */
    abstract SimResponse error(int status, String code, String message);

    /** A request is refused before authentication (e.g. AWS without {@code x-api-version}); null to go on. */
    SimResponse precheck(final SimRequest request) {
        return null;
    }

    final SimResponse handle(final SimRequest request, final Instant now, final boolean shifted) {
        final SimResponse refused = precheck(request);
        if (refused != null) {
            return refused;
        }
        if (request.path().equals(tokenPath())) {
            return request.method().equals("POST") ? token(request) : error(405, "MethodNotAllowed",
                    "the token endpoint only accepts POST");
        }
        if (!request.method().equals("GET")) {
            return error(405, "MethodNotAllowed", request.method() + " is not allowed here");
        }
        final Tokens.Problem problem = tokens.check(request.bearer());
        if (problem != null) {
            return error(401, problem == Tokens.Problem.EXPIRED ? "ExpiredToken" : "InvalidToken",
                    problem == Tokens.Problem.MISSING ? "the Authorization header is missing"
                            : "the access token is " + problem.name().toLowerCase(Locale.ROOT));
        }
        return data(request, now, shifted);
    }

    private SimResponse token(final SimRequest request) {
        final String grant = request.form().getOrDefault("grant_type", "").toLowerCase(Locale.ROOT);
        final Tokens.Grant granted = switch (grant) {
            case "password" -> tokens.passwordGrant(request.form().get("username"), request.form().get("password"));
            case "refresh_token" -> tokens.refreshGrant(request.form().get("refresh_token"));
            default -> null;
        };
        if (granted == null) {
            return error(grant.equals("password") || grant.equals("refresh_token") ? 401 : 400, "invalid_grant",
                    grant.isEmpty() ? "grant_type is required" : "the credentials or the refresh token are not valid");
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", granted.accessToken());
        body.put("token_type", "bearer");
        body.put("refresh_token", granted.refreshToken());
        body.put("expires_in", granted.expiresInSeconds());
        body.put("username", tokens.username());
        return SimResponse.json(200, body);
    }

    static int intParam(final SimRequest request, final String name, final int defaultValue) {
        final String value = request.param(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (final NumberFormatException e) {
            return Integer.MIN_VALUE; // the caller answers 400
        }
    }
}
