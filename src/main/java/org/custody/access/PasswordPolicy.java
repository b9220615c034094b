package org.custody.access;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B's advice, no composition rules): at least 12 characters, at most
 * 1024, not the user name, and not one of the passwords attackers try first.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 1024;

    /** The most common passwords of 12 characters or more in published breach corpora, lower-cased. */
    private static final Set<String> COMMON = Set.of(
            "123456789012", "1234567890123", "12345678901234", "123123123123", "111111111111", "000000000000",
            "password1234", "password12345", "password123!", "passwordpassword", "password1234567", "qwertyuiopas",
            "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qazwsxedcrfv", "abc123456789", "abcdefghijkl",
            "iloveyou1234", "welcome12345", "letmein12345", "changeme1234", "administrator", "administrator1",
            "trustno1trustno1", "football1234", "monkey123456", "sunshine1234", "princess1234", "superman1234",
            "asdfghjklqwe", "zaq12wsxcde3", "azertyuiop12", "passw0rd1234", "p@ssw0rd1234", "adminadmin12");

    private PasswordPolicy() {}

    /** Why the password is refused, or empty when it is acceptable. */
    public static Optional<String> problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return Optional.of("must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && lower.equals(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not be the user name");
        }
        if (COMMON.contains(lower)) {
            return Optional.of("is one of the most common passwords");
        }
        return Optional.empty();
    }
}
