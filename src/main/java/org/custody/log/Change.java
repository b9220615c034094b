package org.custody.log;

/**
 * One kind of write (create a case, record a status change…). The {@link Ledger} applies it inside the
 * batch transaction, under the log-head lock, and appends the entry it describes. Checks that need the
 * database (versions, allowed transitions, existence) belong in {@link #apply}, where they cannot be stale;
 * a {@link org.custody.common.DomainException} thrown there undoes this change alone.
 */
@FunctionalInterface
public interface Change<R> {
    Applied<R> apply(ChangeContext context);

    /**
     * A change applied in a batch of its own, once every change queued before it is committed: one that reads what
     * earlier changes wrote to the log (an erasure lists the entries it erases), which a change earlier in the same
     * batch has not yet written.
     */
    @FunctionalInterface
    interface Alone<R> extends Change<R> {}

    /** The change's result for the caller and the log event it produced. */
    record Applied<R>(R result, LogEvent event) {}
}
