package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the error body of each product's dialect into one line for the FAILED poll's reason, and names what stands in
 * front of an appliance when the answer is not the API's: a redirect, or an HTML page (a proxy's or a single sign-on's
 * login page, an error page).
 */
final class ErrorBodies {

    private static final int MAX = 300;
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>\\s*([^<]*?)\\s*</title>",
            Pattern.CASE_INSENSITIVE);

    private ErrorBodies() {
    }

    /** An answer that is not a 2xx: where it redirects to, or what its body says. */
    static String describe(final Answer answer) {
        if (answer.status() >= 300 && answer.status() < 400 && answer.location().isPresent()) {
            final String to = answer.location().get();
            // without its query, which may carry a sign-in's state or a token
            return "redirected to " + (to.indexOf('?') < 0 ? to : to.substring(0, to.indexOf('?'))) + ", which the "
                    + "collector does not follow: give that address as the source's baseUrl if it is the "
                    + "appliance's, or have the proxy in front of it pass the API through";
        }
        return describe(answer.body());
    }

    /** Whether a body is an HTML page rather than anything an API answers. */
    static boolean isHtml(final String body) {
        if (body == null) {
            return false;
        }
        final String start = body.stripLeading().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    /** An HTML page where the API answers JSON, by its title: most likely a login page of something in front. */
    static String htmlPage(final String body) {
        final Matcher title = TITLE.matcher(body);
        return "an HTML page" + (title.find() && !title.group(1).isBlank() ? " ('" + title.group(1) + "')" : "")
                + " where the API answers JSON: a login or error page of a proxy in front of the appliance?";
    }

    static String describe(final String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            final JsonNode node = Json.mapper().readTree(body);
            // VSPC {"errors":[{message,type,code}]}
            if (node.path("errors").isArray() && node.path("errors").size() > 0) {
                final JsonNode first = node.path("errors").get(0);
                return first.path("message").asText() + " (" + first.path("type").asText() + ")";
            }
            // AWS problem+json {title, errorCode, details}; Azure ProblemDetails {title, detail}
            if (node.has("title") || node.has("errorCode")) {
                return (node.path("errorCode").asText(node.path("title").asText()) + ": "
                        + node.path("details").asText(node.path("detail").asText())).trim();
            }
            // OAuth2 {error, error_description}; VAC {message}
            if (node.has("error") || node.has("message")) {
                return (node.path("error").asText("") + " " + node.path("error_description").asText(
                        node.path("message").asText(""))).trim();
            }
        } catch (final IOException e) {
            // not JSON: show its start
        }
        if (isHtml(body)) {
            return htmlPage(body);
        }
        return body.length() > MAX ? body.substring(0, MAX) + "..." : body;
    }
}
