package org.custody.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;

/**
 * A request to create a user. The password is only ever hashed; {@link #toString} never shows it; {@link PasswordPolicy}
 * decides whether it is acceptable.
 */
public record NewUser(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{1,63}", message = "must be 2-64 characters: lower-case letters, digits, '.', '_' or '-'") String username,
        @NotBlank @Size(max = 200) @Pattern(regexp = NewUser.PLAIN_TEXT, message = NewUser.PLAIN_TEXT_MESSAGE) String displayName,
        @NotNull String password,
        @NotEmpty Set<@NotNull Role> roles) {

    /**
     * A display name is shown to colleagues and in the access log as who looked at a record: no control characters (a
     * line break could forge a line of a listing) and no bidirectional overrides or isolates, which make text read in an
     * order other than the one stored (U+202E, RIGHT-TO-LEFT OVERRIDE, shows the letters after it reversed).
     * Right-to-left names need none of these.
     */
    public static final String PLAIN_TEXT = "[^\\p{Cc}\u202A-\u202E\u2066-\u2069]*";
    public static final String PLAIN_TEXT_MESSAGE = "must not contain control characters or bidirectional overrides";

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", roles=" + roles + "]";
    }
}
