package io.usagepipeline.collector.poll;

import java.net.http.HttpResponse;
import java.util.Optional;

/** An HTTP answer of an appliance. */
record Answer(int status, String body, Optional<String> retryAfter, Optional<String> location) {

    static Answer of(final HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"),
                response.headers().firstValue("Location"));
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }
}
