package org.custody.log;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** What a {@link Change} may use while it is applied: the batch's transaction, its time and the actor. */
public final class ChangeContext {
    private final Handle handle;
    private final Instant now;
    private final Actor actor;
    private final long index;
    private final Map<Class<?>, Object> daos;
    private final Batch batch;

    ChangeContext(Handle handle, Instant now, Actor actor, long index, Map<Class<?>, Object> daos, Batch batch) {
        this.handle = handle;
        this.now = now;
        this.actor = actor;
        this.index = index;
        this.daos = daos;
        this.batch = batch;
    }

    /** What the changes of one ledger batch share; a batch applied again after a refusal starts a fresh one. */
    static final class Batch implements AutoCloseable {
        private final Map<String, Long> numbered = new HashMap<>();
        private final Map<String, PreparedBatch> inserts = new LinkedHashMap<>();

        /** Sends the held-back inserts, each statement's rows together, in the order the statements were first used. */
        void sendInserts() {
            inserts.values().forEach(PreparedBatch::execute);
        }

        /** Releases the statements, sent or not (a refused change leaves them unsent on the writer's long-lived handle). */
        @Override
        public void close() {
            inserts.values().forEach(PreparedBatch::close);
        }
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
     * The log index the change's entry will have: the entry is appended with the change, in the same transaction, or
     * neither is. For a record that refers to its own entry (a pending erasure proposal is known by it).
     */
    public long index() {
        return index;
    }

    /**
     * The next number of a sequence that only changes advance, such as case references. The first call in a batch
     * asks the database for the last number stored; later calls in the same batch count on from it instead of asking
     * again. The batch holds the log head lock, so no other writer numbers in between, and a refused change sends the
     * batch round again with a fresh count, so numbers stay gapless.
     */
    public long nextNumber(String sequence, LongSupplier lastStored) {
        long next = batch.numbered.containsKey(sequence) ? batch.numbered.get(sequence) + 1 : lastStored.getAsLong() + 1;
        batch.numbered.put(sequence, next);
        return next;
    }

    /**
     * Inserts a row with the batch's other rows of the same statement, sent together (one round trip to the database
     * instead of one per row) once every change of the batch is applied, before its log entries. Only for a row that
     * no later change of the same batch can look for or refer to: a new record under an id made for it, which nobody
     * outside knows before the batch has committed, and which later changes at most count, through
     * {@link #nextNumber}. {@code values} binds the row's values.
     */
    public void insertWithBatch(String sql, Consumer<PreparedBatch> values) {
        PreparedBatch statement = batch.inserts.computeIfAbsent(sql, handle::prepareBatch);
        values.accept(statement);
        statement.add();
    }

    /**
     * The DAO on the writer's connection. Attaching a SqlObject to a fresh handle costs about a millisecond, so the
     * writer keeps one connection and attaches each DAO once.
     */
    public <T> T attach(Class<T> dao) {
        return dao.cast(daos.computeIfAbsent(dao, handle::attach));
    }
}
