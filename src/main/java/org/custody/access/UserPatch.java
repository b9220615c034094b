package org.custody.access;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.custody.common.PlainText;

/** What an administrator may change about a user; absent members stay as they are. */
public record UserPatch(
        @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
        @PlainText.OneLine String displayName,
        @Size(min = 1, message = "must name at least one role") Set<Role> roles,
        Boolean active) {}
