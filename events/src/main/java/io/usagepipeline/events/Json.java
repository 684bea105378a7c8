package io.usagepipeline.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The one Jackson configuration of the contract.
 *
 * <ul>
 *   <li>Decimals: read exactly as {@link BigDecimal} (also inside raw pages, so 0.33 never becomes a double),
 *       written as plain numbers rounded by {@link Decimals#forOutput}. Raw pages keep their numbers as received.</li>
 *   <li>Instants: {@link Instants} format.</li>
 *   <li>Unknown fields are ignored, so consumers keep working when a later v1 adds a field.</li>
 * </ul>
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(contractModule(true))
            .build();

    private static final ObjectMapper EXACT_MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(contractModule(false))
            .build();

    private static final ObjectReader STRICT_TREE_READER = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * A JSON value that is written as exactly {@code text}, byte for byte: a server's answer kept as it was received
     * (numbers in their written form, keys in their order, strings with their escapes). The text must be one
     * well-formed JSON value; read it with {@link #readStrict} first. Readers of the written record get an ordinary
     * tree back.
     */
    public static JsonNode verbatim(final String text) {
        return JsonNodeFactory.instance.rawValueNode(new RawValue(text));
    }

    /** Parses one complete JSON value; trailing content after it is an error, not something to ignore. */
    public static JsonNode readStrict(final String text) throws IOException {
        return STRICT_TREE_READER.readTree(text);
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A mapper that never rounds, for state that is not published (e.g. the processor's stores): running sums must
     * stay exact between updates. Unknown fields fail, since only this code writes that state.
     */
    public static ObjectMapper exactMapper() {
        return EXACT_MAPPER;
    }

    private static SimpleModule contractModule(final boolean roundDecimals) {
        final SimpleModule module = new SimpleModule("usage-pipeline-contract");
        module.addSerializer(BigDecimal.class, new JsonSerializer<>() {
            @Override
            public void serialize(final BigDecimal value, final JsonGenerator gen, final SerializerProvider provider)
                    throws IOException {
                gen.writeNumber((roundDecimals ? Decimals.forOutput(value) : value).toPlainString());
            }
        });
        module.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(final Instant value, final JsonGenerator gen, final SerializerProvider provider)
                    throws IOException {
                gen.writeString(Instants.format(value));
            }
        });
        module.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(final JsonParser parser, final DeserializationContext context)
                    throws IOException {
                try {
                    return Instants.parse(parser.getValueAsString());
                } catch (final IllegalArgumentException e) {
                    return (Instant) context.handleWeirdStringValue(Instant.class, parser.getText(), e.getMessage());
                }
            }
        });
        return module;
    }
}
