package io.usagepipeline.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response: status, headers and body. */
record SimResponse(int status, Map<String, String> headers, byte[] body) {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    static SimResponse json(final int status, final Object body) {
        return json(status, body, "application/json; charset=utf-8");
    }

    static SimResponse json(final int status, final Object body, final String contentType) {
        try {
            final Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", contentType);
            return new SimResponse(status, headers, JSON.writeValueAsBytes(body));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON body sent exactly as these bytes. */
    static SimResponse jsonBytes(final int status, final byte[] json) {
        return new SimResponse(status, new LinkedHashMap<>(Map.of("Content-Type", "application/json; charset=utf-8")),
                json);
    }

    static SimResponse text(final int status, final String text) {
        return new SimResponse(status, new LinkedHashMap<>(Map.of("Content-Type", "text/plain; charset=utf-8")),
                text.getBytes(StandardCharsets.UTF_8));
    }

    SimResponse withHeader(final String name, final String value) {
        final Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new SimResponse(status, all, body);
    }

    SimResponse withBody(final byte[] newBody) {
        return new SimResponse(status, headers, newBody);
    }
}
