package org.custody.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/** A SHA-256 digest written as 64 hexadecimal digits, normalised to lower case. */
public record Sha256Digest(String hex) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Sha256Digest {
        hex = hex == null ? null : hex.toLowerCase(Locale.ROOT);
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("must be 64 hexadecimal digits (a SHA-256 digest)");
        }
    }

    /** A fresh SHA-256 digester. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @JsonCreator
    public static Sha256Digest of(String hex) {
        return new Sha256Digest(hex);
    }

    @JsonValue
    @Override
    public String hex() {
        return hex;
    }
}
