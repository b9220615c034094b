package org.custody.log;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custody.common.DatabaseKind;
import org.custody.common.DomainException;
import org.custody.common.ServiceUnavailableException;
import org.custody.common.Failures;
import org.custody.log.signing.NoteKey;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the log, and through {@link Change}s the only writer of the tables it records.
 * Changes queue up and one writer thread applies them in batches: each batch is one transaction that locks
 * the log head, applies every change, appends one entry per applied change and commits once; a refused change
 * sends the batch round again without it. Under light load a batch is one change; under
 * heavy load one commit serves hundreds, which is what makes durable commits affordable (group commit).
 * Before the commit the batch extends the Merkle tree and stores a checkpoint signed over the new root, so no
 * caller hears of a write that a signed checkpoint does not cover.
 */
public final class Ledger implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    /** The writer thread's name, as thread dumps, {@code ps -L} and the benchmarks show it. */
    public static final String WRITER_THREAD = "ledger-writer";

    private final Jdbi jdbi;
    private final Clock clock;
    private final EntryEncoder encoder;
    private final BlockingQueue<PendingChange<?>> queue;
    private final int maxBatch;
    private final long submitTimeoutMillis;
    private final LogTree tree;
    private final Timer batches;
    private final Meter appends;
    private final Histogram batchSizes;
    private final Meter failedBatches;
    private volatile boolean accepting;
    private Thread writer;
    /** The writer thread's own connection and the DAOs attached to it; reopened after a failure. */
    private Handle writerHandle;
    /** Whether {@link #writerHandle} is a PostgreSQL connection: a batch's log rows then go as one statement ({@link LogRows}). */
    private boolean writerOnPostgres;
    private final Map<Class<?>, Object> writerDaos = new HashMap<>();
    /** No other process can write the database (see the constructor); the writer thread then keeps the head itself. */
    private final boolean soleWriter;
    /** The head the last committed batch left, when the writer may rely on it; null until one commits, and after any failure. */
    private LogDao.Head committedHead;

    /**
     * @param soleWriter whether this process is the only one that can write the database: an embedded H2 database, which
     *     H2 opens for one process. A batch then starts from the head the previous one committed instead of reading and
     *     locking it (about a twentieth of the writer's time on H2). Every batch still moves the head only from the size
     *     it started at, and entry indexes are unique, so a head that moved anyway fails the batch rather than the log;
     *     the batch is then tried once more from the stored head.
     *     With PostgreSQL and several instances the head is read under its row lock, which orders their batches.
     */
    public Ledger(Jdbi jdbi, Clock clock, EntryEncoder encoder, LogKeys keys, String origin, int queueCapacity, int maxBatch,
                  long submitTimeoutMillis, boolean soleWriter, MetricRegistry metrics) {
        this.soleWriter = soleWriter;
        this.batches = metrics.timer("custody.ledger.batches");
        this.appends = metrics.meter("custody.log.appends");
        this.batchSizes = metrics.histogram("custody.ledger.batch-size");
        this.failedBatches = metrics.meter("custody.ledger.failed-batches");
        this.jdbi = jdbi;
        this.tree = new LogTree(keys, origin);
        this.clock = clock;
        this.encoder = encoder;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.submitTimeoutMillis = submitTimeoutMillis;
        metrics.gauge("custody.ledger.queued", () -> queue::size);
    }

    @Override
    public synchronized void start() {
        if (writer != null) {
            return;
        }
        accepting = true;
        writer = new Thread(this::drain, WRITER_THREAD);
        writer.start();
    }

    /** Stops taking changes, writes everything already queued, then stops the writer. */
    @Override
    public synchronized void stop() throws InterruptedException {
        accepting = false;
        if (writer != null) {
            writer.join();
            writer = null;
        }
    }

    /**
     * Applies a change and returns once it is committed with its log entry.
     *
     * @throws DomainException the change's own refusal, nothing written
     * @throws ServiceUnavailableException the queue is full, the service is stopping or the database failed
     */
    public <R> Recorded<R> submit(Actor actor, Change<R> change) {
        PendingChange<R> pending = new PendingChange<>(actor, change);
        enqueue(pending);
        return await(pending);
    }

    /**
     * Applies several changes of one actor and returns once all are committed: they are queued together, so they
     * share batches instead of waiting for one commit each (a search's read records, for instance). If the queue
     * cannot take them all, those queued are still written and the call fails.
     */
    public List<Recorded<?>> submitAll(Actor actor, List<? extends Change<?>> changes) {
        List<PendingChange<?>> pendings = new ArrayList<>(changes.size());
        for (Change<?> change : changes) {
            PendingChange<?> pending = new PendingChange<>(actor, change);
            enqueue(pending);
            pendings.add(pending);
        }
        List<Recorded<?>> recorded = new ArrayList<>(pendings.size());
        for (PendingChange<?> pending : pendings) {
            recorded.add(await(pending));
        }
        return recorded;
    }

    private void enqueue(PendingChange<?> pending) {
        if (!accepting) {
            throw new ServiceUnavailableException("The service is not accepting changes", null);
        }
        if (!queue.offer(pending)) {
            throw new ServiceUnavailableException("Too many changes are waiting to be written", null);
        }
    }

    private <R> Recorded<R> await(PendingChange<R> pending) {
        try {
            return pending.future.get(submitTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("change failed", e.getCause());
        } catch (TimeoutException e) {
            throw new ServiceUnavailableException("The change was not written in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Interrupted while waiting for the change", e);
        }
    }

    private void drain() {
        List<PendingChange<?>> batch = new ArrayList<>(maxBatch);
        while (accepting || !queue.isEmpty()) {
            try {
                PendingChange<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                for (List<PendingChange<?>> part : apart(batch)) {
                    write(part);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                accepting = false;
            } catch (RuntimeException e) {
                LOG.error("Ledger writer failed a batch: {}", Failures.describe(e));
            } finally {
                batch.clear();
            }
        }
        closeWriterHandle();
        PendingChange<?> left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(new ServiceUnavailableException("The service stopped", null));
        }
    }

    /** The batch in the order it was queued, each {@link Change.Alone} change in a batch of its own. */
    private static List<List<PendingChange<?>>> apart(List<PendingChange<?>> batch) {
        if (batch.stream().noneMatch(pending -> pending.change instanceof Change.Alone)) {
            return List.of(batch);
        }
        List<List<PendingChange<?>>> parts = new ArrayList<>();
        List<PendingChange<?>> together = new ArrayList<>();
        for (PendingChange<?> pending : batch) {
            if (pending.change instanceof Change.Alone) {
                if (!together.isEmpty()) {
                    parts.add(together);
                    together = new ArrayList<>();
                }
                parts.add(List.of(pending));
            } else {
                together.add(pending);
            }
        }
        if (!together.isEmpty()) {
            parts.add(together);
        }
        return parts;
    }

    /**
     * Commits a batch. Changes are applied without savepoints (two statements fewer per change); when one is refused,
     * the whole transaction rolls back, that change is answered, and the batch is applied again without it.
     */
    private void write(List<PendingChange<?>> batch) {
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
                break;
            } catch (Refused refused) {
                committedHead = null;
                tree.forget();
                refused.pending.stageFailure(refused.reason);
                remaining.remove(refused.pending);
            } catch (RuntimeException e) {
                boolean reliedOnHead = committedHead != null;
                committedHead = null;
                tree.forget();
                closeWriterHandle();
                if (reliedOnHead) {
                    // another writer moved the head after all (in one JVM, two Core instances can share an H2 database): read it and
                    // try once more; a failure of the database itself fails the retry too
                    LOG.warn("Batch of {} change(s) not committed from the remembered log head; retrying from the stored head: {}",
                            remaining.size(), Failures.describe(e));
                    continue;
                }
                failedBatches.mark();
                LOG.error("Batch of {} change(s) not committed: {}", remaining.size(), Failures.describe(e));
                ServiceUnavailableException failure = new ServiceUnavailableException("The change could not be stored", e);
                remaining.forEach(pending -> pending.stageFailure(failure));
                break;
            }
        }
        batch.forEach(PendingChange::settle);
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

    private void closeWriterHandle() {
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
        for (PendingChange<?> pending : batch) {
            try {
                long index = previousSize + entries.size();
                Change.Applied<?> applied = pending.change.apply(new ChangeContext(handle, now, pending.actor, index, writerDaos, shared));
                entries.add(encoder.encode(index, now, pending.actor, applied.event()));
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
