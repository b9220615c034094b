package org.custody.access;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** A request to create a user. The password is only ever hashed; {@link #toString} never shows it. */
public record NewUser(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{1,63}", message = "must be 2-64 characters: lower-case letters, digits, '.', '_' or '-'") String username,
        @NotBlank @Size(max = 200) String displayName,
        @NotNull @Size(min = 12, max = 1024, message = "must be between 12 and 1024 characters") String password,
        @NotEmpty Set<@NotNull Role> roles) {

    @JsonIgnore
    public boolean passwordIsUsername() {
        return password != null && password.equalsIgnoreCase(username);
    }

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", roles=" + roles + "]";
    }
}
