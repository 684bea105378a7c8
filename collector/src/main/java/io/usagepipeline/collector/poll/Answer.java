package io.usagepipeline.collector.poll;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * An HTTP answer of an appliance.
 *
 * @param json the body parsed once by the {@link Retrier} for a 2xx answer (other than 202), else null
 */
record Answer(int status, String body, Optional<String> retryAfter, Optional<String> location, JsonNode json) {

    static Answer of(final HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"),
                response.headers().firstValue("Location"), null);
    }

    Answer withJson(final JsonNode parsed) {
        return new Answer(status, body, retryAfter, location, parsed);
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }
}
