package org.custody.log;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custody.common.DomainException;
import org.custody.common.ServiceUnavailableException;
import org.custody.common.Failures;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the log, and through {@link Change}s the only writer of the tables it records.
 * Changes queue up and one writer thread applies them in batches ({@link BatchWriter}): each batch is one transaction that locks
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

    private final BlockingQueue<PendingChange<?>> queue;
    private final int maxBatch;
    private final long submitTimeoutMillis;
    private final BatchWriter batchWriter;
    private volatile boolean accepting;
    private Thread writer;

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
        this.batchWriter = new BatchWriter(jdbi, clock, encoder, new LogTree(keys, origin), soleWriter, metrics);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.submitTimeoutMillis = submitTimeoutMillis;
        metrics.gauge("custody.ledger.queued", () -> this::queued);
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

    /** Whether changes are taken and the writer thread that stores them is alive. */
    public synchronized boolean isWriting() {
        return accepting && writer != null && writer.isAlive();
    }

    /**
     * Runs {@code action} after each committed batch that appends an entry about a subject of this type ({@code user},
     * say), on the writer thread and before any change of the batch is answered: whatever a service keeps of such
     * subjects (a cache) is then never older than a change its callers have heard of. The writer waits for it, so it
     * must be quick; if it fails, the failure is logged and the batch stays committed.
     */
    public void afterCommitAbout(String subjectType, Runnable action) {
        batchWriter.afterCommitAbout(subjectType, action);
    }

    /**
     * When the last batch the database could not store failed, if that was within {@code recent} and none has been
     * stored since: writes are failing (a full disk, a database that went away), whatever reads still work.
     */
    public Optional<Instant> failedLately(Duration recent) {
        return batchWriter.failedLately(recent);
    }

    /** Changes waiting for the writer. */
    public int queued() {
        return queue.size();
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
                    batchWriter.write(part);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                accepting = false;
            } catch (RuntimeException | Error e) {
                // whatever went wrong, this thread lives on: without it the service takes no write until it is restarted
                LOG.error("Ledger writer failed a batch: {}", Failures.describe(e));
                ServiceUnavailableException failure = new ServiceUnavailableException("The change could not be stored", null);
                batch.stream().filter(pending -> !pending.future.isDone()).forEach(pending -> {
                    pending.stageFailure(failure);
                    pending.settle();
                });
            } finally {
                batch.clear();
            }
        }
        batchWriter.close();
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
}
