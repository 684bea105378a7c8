package io.usagepipeline.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The login of an appliance: derived from the seed, so a fleet and its --print-config agree across restarts.
 * {@code apiKey} is set for VSPC only.
 */
public record Credentials(String username, String password, String apiKey) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***, apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }

    static String password(final long seed, final String appliance) {
        return "pw-" + digest(seed + "/" + appliance + "/password");
    }

    static String apiKey(final long seed, final String appliance) {
        return "key-" + digest(seed + "/" + appliance + "/apikey");
    }

    private static String digest(final String text) {
        try {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
