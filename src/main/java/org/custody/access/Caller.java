package org.custody.access;

import java.security.Principal;
import java.time.Instant;
import java.util.UUID;
import org.custody.log.Actor;

/**
 * The signed-in user making a request, the session they used, what that session may do, and when the request was
 * authenticated (the instant grant expiry is judged at).
 */
public record Caller(User user, UUID sessionId, SessionScope scope, Instant at) implements Principal {
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

    public Viewer viewer() {
        return Viewer.of(this, at);
    }
}
