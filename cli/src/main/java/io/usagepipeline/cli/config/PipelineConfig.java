package io.usagepipeline.cli.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.SecretInValueException;
import io.usagepipeline.runtime.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration of one command, layered as DESIGN §5 says: defaults, then the YAML file ({@code --config}), then
 * environment variables ({@code USAGE_PIPELINE_*} for our settings, {@code KAFKA_*} for Kafka client properties:
 * {@code KAFKA_SASL_MECHANISM} → {@code sasl.mechanism}), then command-line flags. Every value remembers where it came
 * from, and every declared setting is checked when loading, so a bad value stops the command at start with a message
 * that names the key, the value and its origin. The parts bind their settings from it ({@link ConfigTree}); the keys
 * it knows are theirs ({@link Settings#KEYS}).
 */
public final class PipelineConfig implements ConfigTree {

    /** The Kafka bootstrap address when nothing else says one. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    private static final String KAFKA_ENV_PREFIX = "KAFKA_";
    private static final Set<String> KAFKA_CLIENT_PROPERTIES = kafkaClientProperties();

    private final Map<String, Value> scalars;
    private final Map<String, Value> kafka;
    private final Map<String, JsonNode> structured;
    private final Map<String, String> env;

    private PipelineConfig(final Map<String, Value> scalars, final Map<String, Value> kafka,
                           final Map<String, JsonNode> structured, final Map<String, String> env) {
        this.scalars = scalars;
        this.kafka = kafka;
        this.structured = structured;
        this.env = env;
    }

    /**
     * Loads and checks the configuration.
     *
     * @param file  the YAML file, or null for none
     * @param env   the environment (normally {@link System#getenv()})
     * @param flags values given on the command line
     * @throws ConfigException naming the key when anything is missing, unknown or invalid
     */
    public static PipelineConfig load(final Path file, final Map<String, String> env, final Flags flags) {
        final Map<String, Value> scalars = new LinkedHashMap<>();
        final Map<String, Value> kafka = new TreeMap<>();
        final Map<String, JsonNode> structured = new LinkedHashMap<>();

        for (final Setting<?> setting : Settings.KEYS.settings()) {
            scalars.put(setting.path(), new Value(setting.defaultValue(), "the default"));
        }
        if (file != null) {
            new FileLayer(file, scalars, kafka, structured).read();
        }
        for (final Setting<?> setting : Settings.KEYS.settings()) {
            final String value = env.get(setting.envName());
            if (value != null) {
                scalars.put(setting.path(), new Value(value, "environment variable " + setting.envName()));
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENV_PREFIX)) {
                final String property = name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                // Only real client properties: shells often carry KAFKA_HOME, KAFKA_OPTS and the like.
                if (KAFKA_CLIENT_PROPERTIES.contains(property)) {
                    kafka.put(property, new Value(value, "environment variable " + name));
                }
            }
        });
        flags.values().forEach((path, flag) -> {
            if (path.startsWith(Settings.KAFKA_SECTION + ".")) {
                kafka.put(path.substring(Settings.KAFKA_SECTION.length() + 1), flag);
            } else if (scalars.containsKey(path)) {
                scalars.put(path, flag);
            } else {
                throw new IllegalArgumentException("flag for undeclared setting " + path);
            }
        });

        final PipelineConfig config = new PipelineConfig(scalars, kafka, structured, Map.copyOf(env));
        Settings.KEYS.settings().forEach(config::get);
        return config;
    }

    @Override
    public <T> T get(final Setting<T> setting) {
        final Value value = scalars.get(setting.path());
        if (value == null) {
            throw new IllegalArgumentException("undeclared setting " + setting.path());
        }
        try {
            return setting.parser().apply(value.text());
        } catch (final SecretInValueException e) {
            throw new ConfigException(setting.path() + " (from " + value.origin() + "): " + e.getMessage());
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(setting.path() + " = '" + value.text() + "' (from " + value.origin()
                    + "): " + e.getMessage() + "; expected " + setting.expected());
        }
    }

    @Override
    public Map<String, Object> kafkaProperties() {
        final Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        kafka.forEach((name, value) -> properties.put(name, value.text()));
        return Collections.unmodifiableMap(properties);
    }

    public String bootstrapServers() {
        return (String) kafkaProperties().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    @Override
    public Optional<JsonNode> section(final String path) {
        return Optional.ofNullable(structured.get(path));
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public String origin(final Setting<?> setting) {
        return scalars.get(setting.path()).origin();
    }

    private static Set<String> kafkaClientProperties() {
        final Set<String> names = new HashSet<>();
        names.addAll(AdminClientConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(names);
    }

    /** A raw value and where it came from. */
    record Value(String text, String origin) {
    }

    /** Values given on the command line, by setting path ({@code kafka.<property>} for Kafka properties). */
    public static final class Flags {
        private final Map<String, Value> values = new LinkedHashMap<>();

        public static Flags none() {
            return new Flags();
        }

        /** Sets a declared setting when the flag was given (value not null). */
        public Flags set(final Setting<?> setting, final Object value, final String flag) {
            if (value != null) {
                values.put(setting.path(), new Value(String.valueOf(value), "flag " + flag));
            }
            return this;
        }

        /** Sets a Kafka client property when the flag was given (value not null). */
        public Flags kafka(final String property, final Object value, final String flag) {
            if (value != null) {
                values.put(Settings.KAFKA_SECTION + "." + property, new Value(String.valueOf(value), "flag " + flag));
            }
            return this;
        }

        Map<String, Value> values() {
            return values;
        }
    }

    /** Reads the YAML file into the layers, rejecting keys nobody reads. */
    private static final class FileLayer {
        private final Path file;
        private final Map<String, Value> scalars;
        private final Map<String, Value> kafka;
        private final Map<String, JsonNode> structured;
        private final String origin;

        FileLayer(final Path file, final Map<String, Value> scalars, final Map<String, Value> kafka,
                  final Map<String, JsonNode> structured) {
            this.file = file;
            this.scalars = scalars;
            this.kafka = kafka;
            this.structured = structured;
            this.origin = "config file " + file;
        }

        void read() {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " does not exist or is not a file");
            }
            final JsonNode root;
            try {
                // decimals exactly as written: a price of 0.1 must not pass through a double; a key given twice
                // (a tenant's terms added to the rate card below those it had) is an error, not the last one winning
                root = YAMLMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(file.toFile());
            } catch (final JacksonException e) {
                throw new ConfigException("config file " + file + " is not valid YAML: " + YamlProblem.of(e), e);
            } catch (final IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                return; // an empty file configures nothing
            }
            if (!root.isObject()) {
                throw new ConfigException("config file " + file + " must hold a mapping of keys, not a "
                        + root.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            walk("", root);
        }

        private void walk(final String path, final JsonNode node) {
            if (path.equals(Settings.KAFKA_SECTION)) {
                kafkaSection("", node);
            } else if (Settings.KEYS.sections().contains(path)) {
                structured.put(path, node);
            } else if (node.isObject()) {
                node.fields().forEachRemaining(field ->
                        walk(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue()));
            } else if (!scalars.containsKey(path)) {
                throw new ConfigException(origin + ": unknown key '" + path + "'; known keys: "
                        + knownKeys());
            } else if (node.isArray()) {
                throw new ConfigException(path + " (from " + origin + "): expected a single value, not a list");
            } else if (!node.isNull()) {
                scalars.put(path, new Value(node.asText(), origin));
            }
        }

        private void kafkaSection(final String prefix, final JsonNode node) {
            if (!node.isObject()) {
                throw new ConfigException("kafka" + (prefix.isEmpty() ? "" : "." + prefix) + " (from " + origin
                        + "): expected a mapping of Kafka client properties");
            }
            node.fields().forEachRemaining(field -> {
                final String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                if (field.getValue().isObject()) {
                    kafkaSection(name, field.getValue());
                } else {
                    kafka.put(name, new Value(field.getValue().asText(), origin));
                }
            });
        }

        private String knownKeys() {
            return Settings.KEYS.settings().stream().map(Setting::path).collect(Collectors.joining(", "))
                    + ", " + String.join(", ", new TreeSet<>(Settings.KEYS.sections())) + ", kafka.*";
        }
    }
}
