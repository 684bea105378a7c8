package io.usagepipeline.rating.card;

import java.util.regex.Pattern;

/**
 * A license-type pattern of a rate card: {@code *} is any run of characters, {@code ?} one character, everything
 * else literal; case-insensitive, since products spell the same type in different cases.
 */
public record Glob(String text, Pattern pattern) {

    public static Glob of(final String text) {
        final StringBuilder regex = new StringBuilder();
        for (final char c : text.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(text, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    public boolean matches(final String licenseType) {
        return pattern.matcher(licenseType).matches();
    }

    /** True for {@code *}, which matches every license type. */
    public boolean matchesEverything() {
        return text.chars().allMatch(c -> c == '*') && !text.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
