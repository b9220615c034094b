package org.custody.log;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.custody.common.DatabaseKind;
import org.custody.common.DomainException;
import org.custody.common.Failures;
import org.custody.common.ServiceUnavailableException;
import org.custody.log.signing.NoteKey;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link Ledger}'s batches, on its writer thread only: each batch one transaction that applies its changes,
 * appends their entries, extends the tree, stores the signed checkpoint and moves the head, and only then answers the
 * batch's submitters.
 */
final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final EntryEncoder encoder;
    private final LogTree tree;
    private final Timer batches;
    private final Meter appends;
    private final Histogram batchSizes;
    private final Meter failedBatches;
    /** The writer thread's own connection and the DAOs attached to it; reopened after a failure. */
    private Handle writerHandle;
    /** Whether {@link #writerHandle} is a PostgreSQL connection: a batch's log rows then go as one statement ({@link LogRows}). */
    private boolean writerOnPostgres;
    private final Map<Class<?>, Object> writerDaos = new HashMap<>();
    /** No other process can write the database (see {@link Ledger}'s constructor); the writer thread then keeps the head itself. */
    private final boolean soleWriter;
    /** The head the last committed batch left, when the writer may rely on it; null until one commits, and after any failure. */
    private LogDao.Head committedHead;
    /** What to run after a commit that holds an entry about a subject of a type ({@link Ledger#afterCommitAbout}). */
    private final List<CommitFollower> followers = new CopyOnWriteArrayList<>();
    /** When a batch last failed to be stored (a database failure, not a change's refusal), and when one last was. */
    private volatile Instant lastFailed;
    private volatile Instant lastCommitted;
    /** The subject types of the entries the batch being written appends. */
    private final Set<String> batchSubjectTypes = new HashSet<>();

    private record CommitFollower(String subjectType, Runnable action) {}

    BatchWriter(Jdbi jdbi, Clock clock, EntryEncoder encoder, LogTree tree, boolean soleWriter, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.encoder = encoder;
        this.tree = tree;
        this.soleWriter = soleWriter;
        this.batches = metrics.timer("custody.ledger.batches");
        this.appends = metrics.meter("custody.log.appends");
        this.batchSizes = metrics.histogram("custody.ledger.batch-size");
        this.failedBatches = metrics.meter("custody.ledger.failed-batches");
    }

    /**
     * Commits a batch. Changes are applied without savepoints (two statements fewer per change); when one is refused,
     * the whole transaction rolls back, that change is answered, and the batch is applied again without it.
     */
    void write(List<PendingChange<?>> batch) {
        List<PendingChange<?>> remaining = new ArrayList<>(batch);
        while (!remaining.isEmpty()) {
            try {
                if (writerHandle == null) {
                    writerHandle = jdbi.open();
                    writerDaos.clear();
                    writerOnPostgres = DatabaseKind.of(writerHandle) == DatabaseKind.POSTGRESQL;
                }
                List<PendingChange<?>> attempt = remaining;
                LogDao.Head committed;
                try (Timer.Context timing = batches.time()) {
                    committed = writerHandle.inTransaction(handle -> applyBatch(handle, attempt));
                }
                committedHead = soleWriter ? committed : null;
                appends.mark(attempt.size());
                batchSizes.update(attempt.size());
                lastCommitted = clock.instant();
                follow(false);
                break;
            } catch (Refused refused) {
                committedHead = null;
                tree.forget();
                refused.pending.stageFailure(refused.reason);
                remaining.remove(refused.pending);
            } catch (RuntimeException e) {
                boolean reliedOnHead = committedHead != null;
                if (reliedOnHead) {
                    committedHead = null;
                    tree.forget();
                    close();
                    // another writer moved the head after all (in one JVM, two Core instances can share an H2 database): read it and
                    // try once more; a failure of the database itself fails the retry too
                    LOG.warn("Batch of {} change(s) not committed from the remembered log head; retrying from the stored head: {}",
                            remaining.size(), Failures.describe(e));
                    continue;
                }
                fail(remaining, e);
                break;
            } catch (Error e) {
                // Out of memory, most likely: other requests took the heap. The transaction rolled back (or, had memory run
                // out just after its commit, its callers hear of a failure, as after a timeout). Never retried; the writer
                // lives on for the next batch, since without it the service would take no write until restarted.
                fail(remaining, e);
                break;
            }
        }
        batch.forEach(PendingChange::settle);
    }

    /** When the last batch that could not be stored failed, if that was within {@code recent} and none has been stored since. */
    Optional<Instant> failedLately(Duration recent) {
        Instant failed = lastFailed;
        Instant committed = lastCommitted;
        boolean failing = failed != null && (committed == null || failed.isAfter(committed)) && failed.isAfter(clock.instant().minus(recent));
        return failing ? Optional.of(failed) : Optional.empty();
    }

    void afterCommitAbout(String subjectType, Runnable action) {
        followers.add(new CommitFollower(subjectType, action));
    }

    /**
     * Runs the followers of the subjects the batch just committed wrote about, or, when whether it committed is not
     * known (its commit failed), every follower; the batch stays as it is whatever they do.
     */
    private void follow(boolean all) {
        for (CommitFollower follower : followers) {
            if (all || batchSubjectTypes.contains(follower.subjectType)) {
                try {
                    follower.action.run();
                } catch (RuntimeException e) {
                    LOG.error("Following a committed batch about {} failed: {}", follower.subjectType, Failures.describe(e));
                }
            }
        }
    }

    /** The batch is not committed: start the next one from the stored head, on a new connection, and tell its callers. */
    private void fail(List<PendingChange<?>> remaining, Throwable cause) {
        committedHead = null;
        tree.forget();
        close();
        failedBatches.mark();
        lastFailed = clock.instant();
        follow(true);
        LOG.error("Batch of {} change(s) not committed: {}", remaining.size(), Failures.describe(cause));
        ServiceUnavailableException failure = new ServiceUnavailableException("The change could not be stored", cause);
        remaining.forEach(pending -> pending.stageFailure(failure));
    }

    /** One change of a batch was refused; the batch's transaction rolls back. */
    private static final class Refused extends RuntimeException {
        final PendingChange<?> pending;
        final RuntimeException reason;

        Refused(PendingChange<?> pending, RuntimeException reason) {
            super(null, null, false, false);
            this.pending = pending;
            this.reason = reason;
        }
    }

    /** Closes the writer's connection; the next batch opens another. */
    void close() {
        if (writerHandle != null) {
            try {
                writerHandle.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the ledger's connection failed: {}", Failures.describe(e));
            }
            writerHandle = null;
        }
    }

    /** Writes one batch in the caller's transaction; returns the head it leaves. */
    private LogDao.Head applyBatch(Handle handle, List<PendingChange<?>> batch) {
        try (ChangeContext.Batch shared = new ChangeContext.Batch()) {
            return applyBatch(handle, batch, shared);
        }
    }

    private LogDao.Head applyBatch(Handle handle, List<PendingChange<?>> batch, ChangeContext.Batch shared) {
        ChangeContext batchContext = new ChangeContext(handle, null, null, -1, writerDaos, shared);
        TreeDao treeDao = batchContext.attach(TreeDao.class);
        LogDao.Head head = committedHead != null ? committedHead : BatchStatements.lockHead(handle);
        long previousSize = head.size();
        List<NoteKey> keysBefore = tree.keysAt(previousSize, head.root(), treeDao);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<EntryEncoder.EncodedEntry> entries = new ArrayList<>(batch.size());
        batchSubjectTypes.clear();
        for (PendingChange<?> pending : batch) {
            try {
                long index = previousSize + entries.size();
                Change.Applied<?> applied = pending.change.apply(new ChangeContext(handle, now, pending.actor, index, writerDaos, shared));
                entries.add(encoder.encode(index, now, pending.actor, applied.event()));
                if (applied.event().subject() != null) {
                    batchSubjectTypes.add(applied.event().subject().type());
                }
                pending.stage(applied.result(), index);
            } catch (RuntimeException e) {
                if (!(e instanceof DomainException)) {
                    LOG.error("Change {} failed: {}", pending.change.getClass().getSimpleName(), Failures.describe(e));
                }
                throw new Refused(pending, e);
            }
        }
        shared.sendInserts();
        LogRows rows = new LogRows(entries);
        byte[] root = tree.extend(handle, treeDao, previousSize, head.root(), rows, keysBefore, now);
        rows.write(handle, writerOnPostgres, previousSize, root);
        return new LogDao.Head(previousSize + entries.size(), root);
    }
}
