package io.usagepipeline.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.usagepipeline.events.SourceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesParserTest {

    private static final Map<String, String> ENV = Map.of("AWS_ACME_PASSWORD", "aws-secret",
            "VAC_PASSWORD", "vac-secret", "VSPC_API_KEY", "vspc-key", "VAC_USERNAME", "vac\\svc-usage-b");

    @TempDir
    Path dir;

    @Test
    void shouldReadTheDesignExample() throws Exception {
        final Path vbaz = Files.writeString(dir.resolve("vbaz"), "azure-secret\n");
        final List<Source> sources = new SourcesParser(ENV).parse(json("""
                [
                  {"id": "aws-acme", "kind": "VBA_AWS", "baseUrl": "https://10.0.0.5:11005", "apiVersion": "1.0-rev0",
                   "tenant": "acme", "auth": {"username": "svc-usage", "passwordEnv": "AWS_ACME_PASSWORD"}},
                  {"id": "azure-globex", "kind": "VBA_AZURE", "baseUrl": "https://vbaz.globex.example", "tenant": "globex",
                   "proxy": "http://egress.example:3128", "auth": {"username": "svc-usage", "passwordFile": "%s"}},
                  {"id": "vac-eu", "kind": "VAC", "baseUrl": "https://vac.example:1281/", "tenants": {"2": "acme", "5": "initech"},
                   "auth": {"username": "vac\\\\svc-usage", "passwordEnv": "VAC_PASSWORD"}},
                  {"id": "vspc", "kind": "VSPC", "baseUrl": "https://vspc.example:1280", "companies": {"Alpha": "alpha"},
                   "pollInterval": "PT1H", "pageSize": 500, "reports": true, "auth": {"apiKeyEnv": "VSPC_API_KEY"}}
                ]""".formatted(vbaz)));

        assertThat(sources).extracting(Source::kind).containsExactly(SourceKind.VBA_AWS, SourceKind.VBA_AZURE,
                SourceKind.VAC, SourceKind.VSPC);
        assertThat(sources.get(0).password().reveal()).isEqualTo("aws-secret");
        assertThat(sources.get(1).password().reveal()).isEqualTo("azure-secret");
        assertThat(sources.get(2).baseUrl().toString()).as("no trailing slash").isEqualTo("https://vac.example:1281");
        assertThat(sources.get(2).username()).isEqualTo("vac\\svc-usage");
        assertThat(sources.get(2).tenants()).containsEntry("5", "initech");
        assertThat(sources.get(3).apiKey().reveal()).isEqualTo("vspc-key");
        assertThat(sources.get(3).pollInterval()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(sources.get(0).pollInterval()).as("the collector's interval").isNull();
        assertThat(sources.get(3).pageSize()).isEqualTo(500);
        assertThat(sources.get(3).reports()).isTrue();
        assertThat(sources.get(2).reports()).isFalse();
        assertThat(sources.get(0).pageSize()).as("the documented default").isEqualTo(100);
        assertThat(sources.get(2).tenantMap()).isEqualTo(Map.of("2", "acme", "5", "initech"));
        assertThat(sources.get(3).tenantMap()).isEqualTo(Map.of("Alpha", "alpha"));
        assertThat(sources.get(1).proxy()).hasToString("http://egress.example:3128");
        assertThat(sources.get(0).proxy()).as("the JVM's proxy settings").isNull();
        assertThat(sources.toString()).doesNotContain("aws-secret", "azure-secret", "vac-secret", "vspc-key");
    }

    /** One configuration on two hosts, each collector logging in with an account of its own. */
    @Test
    void shouldReadTheUsernameFromTheEnvironment() throws Exception {
        final List<Source> sources = new SourcesParser(ENV).parse(json("[{\"id\": \"vac\", \"kind\": \"VAC\", "
                + "\"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"}, \"auth\": {\"usernameEnv\": "
                + "\"VAC_USERNAME\", \"passwordEnv\": \"VAC_PASSWORD\"}}]"));

        assertThat(sources.get(0).username()).isEqualTo("vac\\svc-usage-b");
    }

    @Test
    void shouldReadLicenseReportsFromAVspcSourceOnly() {
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"},"
                        + " \"reports\": true, \"auth\": {\"username\": \"u\", \"passwordEnv\": \"VAC_PASSWORD\"}}]",
                "collector.sources[0].reports: license reports are read from a VSPC source only, with reports: true");
    }

    @Test
    void shouldNameTheKeyOfEveryMistake() {
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"},"
                        + " \"auth\": {\"username\": \"u\", \"passwordEnv\": \"MISSING\"}}]",
                "collector.sources[0].auth.passwordEnv: environment variable MISSING is not set");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"},"
                        + " \"auth\": {\"username\": \"u\", \"password\": \"inline!\"}}]",
                "collector.sources[0].auth.password: unknown key");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"ftp://v\", \"auth\": {}}]",
                "collector.sources[0].baseUrl: 'ftp://v' is not an http(s) URL with a host");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", "
                        + "\"auth\": {\"username\": \"u\", \"passwordEnv\": \"VAC_PASSWORD\"}}]",
                "collector.sources[0]: a VAC source needs tenants");
        // the address the products' documentation gives, with the API's version: every request would be a 404
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://vspc.example:1280/api/v3/\", "
                        + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].baseUrl: 'https://vspc.example:1280/api/v3/' ends with /api/v3, which the "
                        + "collector adds to every request itself; give 'https://vspc.example:1280'");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://proxy.example/vac/V2\", "
                        + "\"tenants\": {\"1\": \"x\"}, \"auth\": {\"username\": \"u\", \"passwordEnv\": "
                        + "\"VAC_PASSWORD\"}}]",
                "collector.sources[0].baseUrl: 'https://proxy.example/vac/V2' ends with /V2, which the collector adds "
                        + "to every request itself; give 'https://proxy.example/vac'");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v/?tenant=1\", "
                        + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].baseUrl: 'https://v/?tenant=1' has a query or a fragment");
        assertError("[{\"id\": \"a\", \"kind\": \"VEEAM_ONE\", \"baseUrl\": \"https://v\"}]",
                "collector.sources[0].kind: 'VEEAM_ONE' is not one of VBA_AWS, VBA_AZURE, VAC, VSPC");
        assertError("[{\"id\": \"a\", \"kind\": \"VBA_AWS\", \"baseUrl\": \"https://v\", "
                        + "\"auth\": {\"username\": \"u\", \"passwordEnv\": \"AWS_ACME_PASSWORD\"}}]",
                "collector.sources[0].tenant: required");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"auth\": {\"apiKeyEnv\": "
                        + "\"VSPC_API_KEY\"}, \"tls\": {\"pinSha256\": \"AB:CD\"}}]",
                "collector.sources[0].tls.pinSha256: expected a SHA-256 fingerprint");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"auth\": {\"apiKeyEnv\": "
                        + "\"VSPC_API_KEY\"}}, {\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://w\", "
                        + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[1].id: 'a' is used twice");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"},"
                        + " \"auth\": {\"passwordEnv\": \"VAC_PASSWORD\"}}]",
                "collector.sources[0].auth.username: required (or usernameEnv)");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"},"
                        + " \"auth\": {\"usernameEnv\": \"VAC_USERNAME_B\", \"passwordEnv\": \"VAC_PASSWORD\"}}]",
                "collector.sources[0].auth.usernameEnv: environment variable VAC_USERNAME_B is not set");
        assertError("[{\"id\": \"a\", \"kind\": \"VAC\", \"baseUrl\": \"https://v\", \"tenants\": {\"1\": \"x\"},"
                        + " \"auth\": {\"username\": \"u\", \"usernameEnv\": \"VAC_USERNAME\", "
                        + "\"passwordEnv\": \"VAC_PASSWORD\"}}]",
                "collector.sources[0].auth: username and usernameEnv are both set; give one");
        assertError("[]", "collector.sources: expected a non-empty list of sources");
        // VSPC may send either name; the processor would bill it to whichever the mapping happened to list last
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"companies\": "
                        + "{\"Müller GmbH\": \"mueller\", \"MU\u0308LLER GMBH \": \"mueller-2\"}, "
                        + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].companies: 'Müller GmbH' and 'MU\u0308LLER GMBH ' are one name (case, spaces "
                        + "around it and composed letters do not count), mapped to 'mueller' and 'mueller-2'; "
                        + "keep one");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"pollInterval\": \"PT10S\", "
                        + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].pollInterval: 'PT10S' is shorter than one minute");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"pageSize\": 501, "
                        + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].pageSize: '501' is not a whole number from 1 to 500");
        for (final String proxy : new String[] {"egress.example:3128", "https://egress.example:3128",
                "http://egress.example", "http://egress.example:3128/x"}) {
            assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"proxy\": \"" + proxy
                            + "\", \"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                    "collector.sources[0].proxy: '" + proxy + "' is not http://host:port");
        }
        assertThatThrownBy(() -> new SourcesParser(ENV).parse(json("[{\"id\": \"a\", \"kind\": \"VSPC\", "
                + "\"baseUrl\": \"https://v\", \"proxy\": \"http://billing:s3cret@egress.example:3128\", "
                + "\"auth\": {\"apiKeyEnv\": \"VSPC_API_KEY\"}}]")))
                .hasMessage("collector.sources[0].proxy: credentials in the proxy's URL are not read; give "
                        + "http://host:port, and the account under proxyAuth (username, passwordEnv or passwordFile)")
                .as("the password is not repeated").message().doesNotContain("s3cret");
    }

    /** An egress proxy that asks for an account: its username and password, as a source's own login gives them. */
    @Test
    void shouldReadTheAccountTheProxyAsksFor() throws Exception {
        final Path secret = Files.writeString(dir.resolve("proxy"), "pr0xy-secret\n");
        final Source source = new SourcesParser(ENV).parse(json(("[{\"id\": \"a\", \"kind\": \"VSPC\", "
                + "\"baseUrl\": \"https://v\", \"proxy\": \"http://egress.example:3128\", \"proxyAuth\": "
                + "{\"username\": \"svc-collector\", \"passwordFile\": \"%s\"}, \"auth\": {\"apiKeyEnv\": "
                + "\"VSPC_API_KEY\"}}]").formatted(secret))).get(0);

        assertThat(source.proxyLogin().username()).isEqualTo("svc-collector");
        assertThat(source.proxyLogin().password().reveal()).isEqualTo("pr0xy-secret");
        assertThat(source.toString()).doesNotContain("pr0xy-secret");
    }

    @Test
    void shouldRefuseAProxyAccountWithoutItsProxyOrPassword() {
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"proxyAuth\": "
                        + "{\"username\": \"svc\", \"passwordEnv\": \"VSPC_API_KEY\"}, \"auth\": {\"apiKeyEnv\": "
                        + "\"VSPC_API_KEY\"}}]",
                "collector.sources[0].proxyAuth: needs proxy: the http://host:port these credentials are for");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"proxy\": "
                        + "\"http://egress.example:3128\", \"proxyAuth\": {\"username\": \"svc\"}, \"auth\": "
                        + "{\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].proxyAuth: missing passwordEnv or passwordFile");
        assertError("[{\"id\": \"a\", \"kind\": \"VSPC\", \"baseUrl\": \"https://v\", \"proxy\": "
                        + "\"http://egress.example:3128\", \"proxyAuth\": {\"user\": \"svc\"}, \"auth\": "
                        + "{\"apiKeyEnv\": \"VSPC_API_KEY\"}}]",
                "collector.sources[0].proxyAuth.user: unknown key; known keys: passwordEnv, passwordFile, username, "
                        + "usernameEnv");
    }

    private static void assertError(final String sources, final String message) {
        assertThatThrownBy(() -> new SourcesParser(ENV).parse(json(sources)))
                .isInstanceOf(SourcesParser.InvalidSourceException.class).hasMessageStartingWith(message);
    }

    private static JsonNode json(final String text) throws Exception {
        return JsonMapper.builder().build().readTree(text);
    }
}
