package io.usagepipeline.collector.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.collector.http.ProxyLogin;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.VendorKeys;
import io.usagepipeline.runtime.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code collector.sources} strictly: an unknown key, a missing secret, a bad URL or a source without what its
 * product needs stops the collector at start, with the path of the key (e.g. {@code collector.sources[2].auth}).
 * Secrets come only from environment variables ({@code passwordEnv}, {@code apiKeyEnv}) or files
 * ({@code passwordFile}, {@code apiKeyFile}).
 */
public final class SourcesParser {

    /**
     * A path that ends with an API's version root, as the products' own addresses do: {@code /api/v3}, {@code /v2}
     * (the shortest prefix before it, so that {@code /api/v3} is taken whole).
     */
    private static final Pattern API_ROOT = Pattern.compile(".*?(/api/v\\d+|/v\\d+)/?", Pattern.CASE_INSENSITIVE);
    private static final Set<String> SOURCE_KEYS = Set.of("id", "kind", "baseUrl", "apiVersion", "tenant", "tenants",
            "companies", "discover", "auth", "tls", "pollInterval", "pageSize", "reports", "proxy", "proxyAuth");
    private static final Set<String> AUTH_KEYS = Set.of("username", "usernameEnv", "passwordEnv", "passwordFile",
            "apiKeyEnv", "apiKeyFile");
    private static final Set<String> TLS_KEYS = Set.of("truststore", "pinSha256", "insecure");
    private static final Set<String> PROXY_AUTH_KEYS = Set.of("username", "usernameEnv", "passwordEnv",
            "passwordFile");
    private static final String DEFAULT_AWS_API_VERSION = "1.0-rev0";

    /** A configuration mistake, with the path of the key that holds it. */
    public static final class InvalidSourceException extends IllegalArgumentException {
        public InvalidSourceException(final String message) {
            super(message);
        }
    }

    private final Map<String, String> env;

    public SourcesParser(final Map<String, String> env) {
        this.env = env;
    }

    public List<Source> parse(final JsonNode sources) {
        final String root = "collector.sources";
        if (sources == null || !sources.isArray() || sources.isEmpty()) {
            throw new InvalidSourceException(root + ": expected a non-empty list of sources");
        }
        final List<Source> parsed = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            final Source source = source(sources.get(i), root + "[" + i + "]");
            if (!ids.add(source.id())) {
                throw new InvalidSourceException(root + "[" + i + "].id: '" + source.id() + "' is used twice");
            }
            parsed.add(source);
        }
        return parsed;
    }

    private Source source(final JsonNode node, final String path) {
        requireObject(node, path, SOURCE_KEYS);
        final String id = text(node, "id", path, true);
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new InvalidSourceException(path + ".id: '" + id + "' must be lower-case letters, digits and '-'");
        }
        final String kindText = text(node, "kind", path, true);
        final SourceKind kind;
        try {
            kind = SourceKind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new InvalidSourceException(path + ".kind: '" + kindText + "' is not one of VBA_AWS, VBA_AZURE, "
                    + "VAC, VSPC");
        }
        final URI baseUrl = url(text(node, "baseUrl", path, true), path + ".baseUrl");
        final String tenant = text(node, "tenant", path, kind == SourceKind.VBA_AWS || kind == SourceKind.VBA_AZURE);
        final Map<String, String> tenants = mapping(node.get("tenants"), path + ".tenants");
        final boolean discover = node.path("discover").asBoolean(false);
        if (kind == SourceKind.VAC && tenants.isEmpty() && !discover) {
            throw new InvalidSourceException(path + ": a VAC source needs tenants: {\"<id>\": <tenant>} or "
                    + "discover: true");
        }
        final JsonNode reports = node.get("reports");
        if (reports != null && (!reports.isBoolean() || reports.asBoolean() && kind != SourceKind.VSPC)) {
            throw new InvalidSourceException(path + ".reports: license reports are read from a VSPC source only, "
                    + "with reports: true");
        }
        final JsonNode auth = node.get("auth");
        requireObject(auth, path + ".auth", AUTH_KEYS);
        final Secret apiKey = secret(auth, "apiKey", path + ".auth", false);
        final boolean byKey = kind == SourceKind.VSPC && apiKey != null;
        final String username = username(auth, path + ".auth", !byKey);
        final Secret password = secret(auth, "password", path + ".auth", !byKey);
        final URI proxy = proxy(text(node, "proxy", path, false), path + ".proxy");
        return new Source(id, kind, baseUrl, kind == SourceKind.VBA_AWS
                ? node.path("apiVersion").asText(DEFAULT_AWS_API_VERSION) : null, tenant, tenants,
                mapping(node.get("companies"), path + ".companies"), discover, username, password, apiKey,
                tls(node.get("tls"), path + ".tls"), interval(text(node, "pollInterval", path, false),
                path + ".pollInterval"), pageSize(node.get("pageSize"), kind, path + ".pageSize"),
                reports != null && reports.asBoolean(), proxy, proxyLogin(node.get("proxyAuth"), proxy,
                path + ".proxyAuth"));
    }

    /** The account the source's proxy asks for: a username and a password, both as {@code auth} gives them. */
    private ProxyLogin proxyLogin(final JsonNode node, final URI proxy, final String path) {
        if (node == null) {
            return null;
        }
        requireObject(node, path, PROXY_AUTH_KEYS);
        if (proxy == null) {
            throw new InvalidSourceException(path + ": needs proxy: the http://host:port these credentials are for");
        }
        return new ProxyLogin(username(node, path, true), secret(node, "password", path, true));
    }

    private static int pageSize(final JsonNode node, final SourceKind kind, final String path) {
        if (node == null || node.isNull()) {
            return PageSizes.DEFAULT;
        }
        if (!node.isIntegralNumber() || !PageSizes.allowed(kind, node.asLong())) {
            throw new InvalidSourceException(path + ": '" + node.asText() + "' is not a whole number from 1 to "
                    + PageSizes.maxFor(kind) + " (the most a " + kind + " source may ask for)");
        }
        return node.asInt();
    }

    private TlsSettings tls(final JsonNode node, final String path) {
        if (node == null) {
            return TlsSettings.VERIFIED;
        }
        requireObject(node, path, TLS_KEYS);
        final String truststore = text(node, "truststore", path, false);
        if (truststore != null && !Files.isReadable(Path.of(truststore))) {
            throw new InvalidSourceException(path + ".truststore: cannot read " + truststore);
        }
        final String pin = text(node, "pinSha256", path, false);
        if (pin != null && !pin.replace(":", "").matches("[0-9A-Fa-f]{64}")) {
            throw new InvalidSourceException(path + ".pinSha256: expected a SHA-256 fingerprint (64 hex digits, "
                    + "colons allowed)");
        }
        try {
            return new TlsSettings(truststore == null ? null : Path.of(truststore), pin,
                    node.path("insecure").asBoolean(false));
        } catch (final IllegalArgumentException e) {
            throw new InvalidSourceException(path + ": " + e.getMessage());
        }
    }

    /**
     * {@code username}, or {@code usernameEnv} naming the variable that holds it: one configuration on two hosts, each
     * collector logging in with an account of its own (VAC and VSPC sessions of one user can log each other out).
     */
    private String username(final JsonNode auth, final String path, final boolean required) {
        final String given = text(auth, "username", path, false);
        final String variable = text(auth, "usernameEnv", path, false);
        if (given != null && variable != null) {
            throw new InvalidSourceException(path + ": username and usernameEnv are both set; give one");
        }
        if (variable == null) {
            if (given == null && required) {
                throw new InvalidSourceException(path + ".username: required (or usernameEnv)");
            }
            return given;
        }
        final String value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new InvalidSourceException(path + ".usernameEnv: environment variable " + variable + " is not set");
        }
        return value;
    }

    /** {@code <name>Env} or {@code <name>File}, exactly one when required. */
    private Secret secret(final JsonNode auth, final String name, final String path, final boolean required) {
        final Optional<Secret> secret;
        try {
            secret = Secret.read(text(auth, name + "Env", path, false), path + "." + name + "Env",
                    text(auth, name + "File", path, false), path + "." + name + "File", env);
        } catch (final Secret.UnreadableException e) {
            throw new InvalidSourceException(e.getMessage());
        }
        if (secret.isEmpty() && required) {
            throw new InvalidSourceException(path + ": missing " + name + "Env or " + name + "File");
        }
        return secret.orElse(null);
    }

    private static Duration interval(final String text, final String path) {
        if (text == null) {
            return null;
        }
        try {
            final Duration interval = Duration.parse(text);
            if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new InvalidSourceException(path + ": '" + text + "' is shorter than one minute");
            }
            return interval;
        } catch (final DateTimeParseException e) {
            throw new InvalidSourceException(path + ": '" + text + "' is not an ISO-8601 duration such as PT15M");
        }
    }

    /** {@code http://host:port}: a proxy is spoken to in plain HTTP, and asked for a tunnel to an https source. */
    private static URI proxy(final String text, final String path) {
        if (text == null) {
            return null;
        }
        try {
            final URI uri = new URI(text);
            if (uri.getRawUserInfo() != null) {
                // not repeated here: the text holds a password
                throw new InvalidSourceException(path + ": credentials in the proxy's URL are not read; give "
                        + "http://host:port, and the account under proxyAuth (username, passwordEnv or passwordFile)");
            }
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() == -1
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))
                    || uri.getRawQuery() != null) {
                throw new InvalidSourceException(path + ": '" + text + "' is not http://host:port");
            }
            return uri;
        } catch (final URISyntaxException e) {
            throw new InvalidSourceException(path + ": '" + text + "' is not a URL (" + e.getReason() + ")");
        }
    }

    private static URI url(final String text, final String path) {
        try {
            final URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidSourceException(path + ": '" + text + "' is not an http(s) URL with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new InvalidSourceException(path + ": '" + text + "' has a query or a fragment; every request's "
                        + "path is added to it");
            }
            // the products' documentation gives their API's address with its version ("https://vspc:1280/api/v3"):
            // copied as is, every request would go to /api/v3/api/v3/... and fail with 404
            final Matcher apiRoot = API_ROOT.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (apiRoot.matches()) {
                throw new InvalidSourceException(path + ": '" + text + "' ends with " + apiRoot.group(1) + ", which "
                        + "the collector adds to every request itself; give '" + text.substring(0,
                        text.lastIndexOf(apiRoot.group(1))) + "'");
            }
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (final URISyntaxException e) {
            throw new InvalidSourceException(path + ": '" + text + "' is not a URL (" + e.getReason() + ")");
        }
    }

    private static Map<String, String> mapping(final JsonNode node, final String path) {
        final Map<String, String> mapping = new LinkedHashMap<>();
        if (node == null) {
            return mapping;
        }
        if (!node.isObject()) {
            throw new InvalidSourceException(path + ": expected a mapping");
        }
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().asText().isBlank()) {
                throw new InvalidSourceException(path + "." + entry.getKey() + ": expected a tenant name");
            }
            mapping.put(entry.getKey(), entry.getValue().asText());
        });
        VendorKeys.conflict(mapping).ifPresent(conflict -> {
            throw new InvalidSourceException(path + ": " + conflict);
        });
        return mapping;
    }

    private static void requireObject(final JsonNode node, final String path, final Set<String> known) {
        if (node == null || !node.isObject()) {
            throw new InvalidSourceException(path + ": expected a mapping");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new InvalidSourceException(path + "." + name + ": unknown key; known keys: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        });
    }

    private static String text(final JsonNode node, final String name, final String path, final boolean required) {
        final JsonNode value = node.get(name);
        if (value == null || value.isNull() || (value.isValueNode() && value.asText().isBlank())) {
            if (required) {
                throw new InvalidSourceException(path + "." + name + ": required");
            }
            return null;
        }
        if (!value.isValueNode()) {
            throw new InvalidSourceException(path + "." + name + ": expected a single value");
        }
        return value.asText();
    }
}
