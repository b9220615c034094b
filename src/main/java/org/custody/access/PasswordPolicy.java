package org.custody.access;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B §5.1.1.2's advice, no composition rules): at least 12 characters, at
 * most 1024, and none of what that advice says to refuse: one of the passwords attackers try first, repetitive or
 * sequential characters ({@code aaaaaaaaaaaa}, {@code abcdefghijkl}), or the user name and what is made of it with
 * digits and symbols ({@code maria1234567}).
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
        if (username != null && !username.isEmpty() && madeOf(lower, username.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not be the user name, or the user name with only digits or symbols added");
        }
        if (COMMON.contains(lower)) {
            return Optional.of("is one of the most common passwords");
        }
        if (repeatsOnePiece(lower)) {
            return Optional.of("must not be one piece repeated, such as aaaaaaaaaaaa or abcabcabcabc");
        }
        if (isRun(lower)) {
            return Optional.of("must not be a run of consecutive characters, such as abcdefghijkl or 987654321098");
        }
        return Optional.empty();
    }

    /** The password holds the user name, and without it nothing but digits, symbols or spaces remain. */
    private static boolean madeOf(String password, String username) {
        String rest = password.replace(username, "");
        return rest.length() < password.length() && rest.codePoints().noneMatch(Character::isLetter);
    }

    /** The whole password is a shorter piece written again and again: it occurs in itself doubled before its own length. */
    private static boolean repeatsOnePiece(String password) {
        return (password + password).indexOf(password, 1) < password.length();
    }

    /** Each character follows the one before it, all up or all down the alphabet or the digits (9 then 0 counts as a step). */
    private static boolean isRun(String password) {
        int[] points = password.codePoints().toArray();
        int direction = step(points[0], points[1]);
        if (direction == 0) {
            return false;
        }
        for (int i = 2; i < points.length; i++) {
            if (step(points[i - 1], points[i]) != direction) {
                return false;
            }
        }
        return true;
    }

    /** +1 if {@code next} comes right after {@code previous}, -1 if right before, else 0. */
    private static int step(int previous, int next) {
        if (next == previous + 1 || (previous == '9' && next == '0')) {
            return 1;
        }
        if (next == previous - 1 || (previous == '0' && next == '9')) {
            return -1;
        }
        return 0;
    }
}
