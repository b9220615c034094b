package org.custody.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.custody.common.PlainText;

/**
 * A request to create a user. The password is only ever hashed; {@link #toString} never shows it; {@link PasswordPolicy}
 * decides whether it is acceptable.
 */
public record NewUser(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{1,63}", message = "must be 2-64 characters: lower-case letters, digits, '.', '_' or '-'") String username,
        @NotBlank @Size(max = 200) @PlainText.OneLine String displayName,
        @NotNull String password,
        @NotEmpty Set<@NotNull Role> roles) {

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", roles=" + roles + "]";
    }
}
