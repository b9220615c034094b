package org.custody.access;

import java.security.Principal;
import java.util.UUID;
import org.custody.log.Actor;

/** The signed-in user making a request, and the session they used. */
public record Caller(User user, UUID sessionId) implements Principal {
    @Override
    public String getName() {
        return user.username();
    }

    public UUID id() {
        return user.id();
    }

    public Actor actor() {
        return new Actor(user.id(), user.username());
    }
}
