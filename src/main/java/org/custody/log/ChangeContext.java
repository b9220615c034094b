package org.custody.log;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** What a {@link Change} may use while it is applied: the batch's transaction, its time and the actor. */
public record ChangeContext(Handle handle, Instant now, Actor actor) {
    public <T> T attach(Class<T> dao) {
        return handle.attach(dao);
    }
}
