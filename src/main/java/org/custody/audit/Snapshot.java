package org.custody.audit;

import java.util.Optional;
import java.util.function.Consumer;
import org.custody.common.DatabaseKind;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** The database as it was at one moment, as verify-log reads it, from one connection or from several. */
final class Snapshot {
    private Snapshot() {}

    /**
     * Runs {@code reading} in one transaction that sees the whole database as it was at one moment, with rows handed
     * over as they are read.
     * <ul>
     * <li>The snapshot: verify-log runs beside the service on PostgreSQL, and the entries, head, tiles, checkpoints,
     * links and tables must agree whatever is written meanwhile. PostgreSQL's REPEATABLE READ is such a snapshot; H2's
     * lets rows inserted meanwhile appear, its SERIALIZABLE does not.</li>
     * <li>The rows: PostgreSQL streams a result within a transaction when a fetch size is set. H2 builds a query's whole
     * result before the first row unless {@code LAZY_QUERY_EXECUTION} is on, and beyond a number of rows writes it to a
     * temporary file: a million cases or case links were written out and read back before they were compared.</li>
     * </ul>
     */
    static void read(Jdbi jdbi, Consumer<Handle> reading) {
        read(jdbi, Optional.empty(), reading);
    }

    /** {@link #read(Jdbi, Consumer)}, on PostgreSQL in the snapshot another transaction exported, when given. */
    static void read(Jdbi jdbi, Optional<String> exportedSnapshot, Consumer<Handle> reading) {
        jdbi.useHandle(handle -> {
            boolean h2 = DatabaseKind.of(handle) == DatabaseKind.H2;
            if (h2) {
                handle.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
            try {
                handle.useTransaction(h2 ? TransactionIsolationLevel.SERIALIZABLE : TransactionIsolationLevel.REPEATABLE_READ, transaction -> {
                    // the identifier is PostgreSQL's own (checked in exported); the statement takes no parameter
                    exportedSnapshot.ifPresent(snapshot -> transaction.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'"));
                    reading.accept(transaction);
                });
            } finally {
                if (h2) {
                    handle.execute("SET LAZY_QUERY_EXECUTION FALSE");
                }
            }
        });
    }

    /** On PostgreSQL, the snapshot of the transaction {@code handle} is in, for another transaction to read in too. */
    static Optional<String> exported(Handle handle) {
        if (DatabaseKind.of(handle) != DatabaseKind.POSTGRESQL) {
            return Optional.empty();
        }
        String snapshot = handle.createQuery("SELECT pg_export_snapshot()").mapTo(String.class).one();
        if (!snapshot.matches("[0-9A-Fa-f-]+")) {
            throw new IllegalStateException("PostgreSQL exported a snapshot named unlike any it names");
        }
        return Optional.of(snapshot);
    }
}
