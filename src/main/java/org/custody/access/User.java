package org.custody.access;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** A staff member as the API and the log show them: never with a credential. */
public record User(UUID id, String username, String displayName, Set<Role> roles, boolean active, Instant createdAt) {
    public User {
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}
