package org.custody.log;

import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;

/** What a {@link Change} may use while it is applied: the batch's transaction, its time and the actor. */
public final class ChangeContext {
    private final Handle handle;
    private final Instant now;
    private final Actor actor;
    private final Map<Class<?>, Object> daos;
    private final Map<String, Long> numbered;

    ChangeContext(Handle handle, Instant now, Actor actor, Map<Class<?>, Object> daos, Map<String, Long> numbered) {
        this.handle = handle;
        this.now = now;
        this.actor = actor;
        this.daos = daos;
        this.numbered = numbered;
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
     * The next number of a sequence that only changes advance, such as case references. The first call in a batch
     * asks the database for the last number stored; later calls in the same batch count on from it instead of asking
     * again. The batch holds the log head lock, so no other writer numbers in between, and a refused change sends the
     * batch round again with a fresh count, so numbers stay gapless.
     */
    public long nextNumber(String sequence, LongSupplier lastStored) {
        long next = numbered.containsKey(sequence) ? numbered.get(sequence) + 1 : lastStored.getAsLong() + 1;
        numbered.put(sequence, next);
        return next;
    }

    /**
     * The DAO on the writer's connection. Attaching a SqlObject to a fresh handle costs about a millisecond, so the
     * writer keeps one connection and attaches each DAO once.
     */
    public <T> T attach(Class<T> dao) {
        return dao.cast(daos.computeIfAbsent(dao, handle::attach));
    }
}
