package org.custody.log;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** What a {@link Change} may use while it is applied: the batch's transaction, its time and the actor. */
public final class ChangeContext {
    private final Handle handle;
    private final Instant now;
    private final Actor actor;
    private final Map<Class<?>, Object> daos;

    ChangeContext(Handle handle, Instant now, Actor actor, Map<Class<?>, Object> daos) {
        this.handle = handle;
        this.now = now;
        this.actor = actor;
        this.daos = daos;
    }

    public Handle handle() {
        return handle;
    }

    public Instant now() {
        return now;
    }

    public Actor actor() {
        return actor;
    }

    /**
     * The DAO on the writer's connection. Attaching a SqlObject to a fresh handle costs about a millisecond, so the
     * writer keeps one connection and attaches each DAO once.
     */
    public <T> T attach(Class<T> dao) {
        return dao.cast(daos.computeIfAbsent(dao, handle::attach));
    }
}
