package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.Json;
import java.io.IOException;

/** Reads the error body of each product's dialect into one line for the FAILED poll's reason. */
final class ErrorBodies {

    private static final int MAX = 300;

    private ErrorBodies() {
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
        return body.length() > MAX ? body.substring(0, MAX) + "..." : body;
    }
}
