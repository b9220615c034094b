package org.custody.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.Role;
import org.custody.access.Viewer;
import org.custody.common.Failures;
import org.custody.common.Ids;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.common.Page;
import org.custody.common.Turns;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports of cases for proceedings: requested by someone who may see every case in it, anchored to the latest signed
 * checkpoint (or to the latest signed at an earlier instant, {@code asOf}), and handed out as a bundle only to its requester while they still may. Each request and each download
 * is a log entry in the access log of every case concerned.
 */
public final class Exports {
    /** A query's worth of case ids at a time: well under either database's limit on a statement's parameters. */
    private static final int CASES_PER_QUERY = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(Exports.class);

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final BundleWriter bundles;
    private final Turns building;
    private final DownloadPace pace;

    /**
     * @param building turns at building a bundle: each holds some megabytes of the heap and a core while it streams, and
     *     150 downloads of a 5,000-case export at once, unbounded, made the ledger's writer throw OutOfMemoryError in a
     *     service of {@code -Xmx448m}
     * @param pace what a client must keep up with to go on holding its turn
     */
    public Exports(Jdbi jdbi, Ledger ledger, BundleWriter bundles, Turns building, DownloadPace pace) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.bundles = bundles;
        this.building = building;
        this.pace = pace;
    }

    public Recorded<ExportRecord> create(Caller caller, ExportRequest request) {
        List<UUID> caseIds = request.caseIds();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < caseIds.size(); i++) {
            if (!seen.add(caseIds.get(i))) {
                throw new InvalidInputException("caseIds[" + i + "]", "repeats a case already in the list");
            }
        }
        UUID id = Ids.next();
        Viewer viewer = caller.viewer();
        // a checkpoint signed in the past never changes: looked up here, not on the ledger's one writer (a scan of them all)
        Long sizeAsOf = request.asOf() == null ? null : jdbi.withExtension(ExportDao.class, exports -> exports.checkpointSizeAt(request.asOf()));
        return ledger.submit(caller.actor(), context -> {
            ExportDao exports = context.attach(ExportDao.class);
            // the answer for a case the caller may not see is the answer for a case that does not exist
            List<ExportRecord.ExportedCase> cases = new ArrayList<>(visibleCases(exports, caseIds, viewer)
                    .orElseThrow(() -> new NotFoundException("Case")));
            cases.sort(java.util.Comparator.comparing(ExportRecord.ExportedCase::reference));
            long size = request.asOf() == null ? exports.latestCheckpointSize() : checkedAsOf(exports, request, sizeAsOf, context.now());
            ExportRecord export = new ExportRecord(id, caller.id(), request.purpose().strip(), cases, request.payloads(), size, context.now());
            exports.insert(export);
            exports.insertCases(id, export.caseIds());
            return new Change.Applied<>(export, new LogEvent(LogAction.EXPORT_CREATED, Subject.export(id), Map.of("export", export),
                    Set.copyOf(export.caseIds())));
        });
    }

    /**
     * The size of the log as it stood at {@code asOf} (its latest checkpoint signed by then), once the cases are known
     * to be visible. Refused when that instant is still to come, comes before the first checkpoint, or comes before a
     * case in the request was recorded (the bundle could not say anything about it).
     */
    private static long checkedAsOf(ExportDao exports, ExportRequest request, Long size, Instant now) {
        if (request.asOf().isAfter(now)) {
            throw new InvalidInputException("asOf", "is in the future");
        }
        if (size == null) {
            throw new InvalidInputException("asOf", "comes before the log's first signed checkpoint");
        }
        List<UUID> caseIds = request.caseIds();
        Map<UUID, Long> firstEntries = new HashMap<>();
        for (int from = 0; from < caseIds.size(); from += CASES_PER_QUERY) {
            exports.firstEntries(caseIds.subList(from, Math.min(caseIds.size(), from + CASES_PER_QUERY)))
                    .forEach(first -> firstEntries.put(first.caseId(), first.index()));
        }
        List<InvalidInputException.FieldError> notYet = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            if (firstEntries.getOrDefault(caseIds.get(i), Long.MAX_VALUE) >= size) {
                notYet.add(new InvalidInputException.FieldError("caseIds[" + i + "]", "was not yet recorded at asOf"));
            }
        }
        if (!notYet.isEmpty()) {
            throw new InvalidInputException(notYet);
        }
        return size;
    }

    /** The caller's own exports, newest first; an administrator sees everyone's (the cases' ids and references, no content). */
    public Page<ExportRecord> list(Caller caller, int page, int size) {
        boolean everyone = caller.user().hasRole(Role.ADMIN);
        return jdbi.withExtension(ExportDao.class, exports -> new Page<>(
                exports.list(caller.id(), everyone, size, (long) page * size).stream().map(header -> header.with(exports.cases(header.id()))).toList(),
                page, size, exports.count(caller.id(), everyone)));
    }

    /** One export, to its requester or an administrator; anyone else is told it does not exist. */
    public ExportRecord get(Caller caller, UUID id) {
        ExportRecord export = jdbi.withExtension(ExportDao.class, exports -> exports.find(id).map(header -> header.with(exports.cases(id))))
                .orElseThrow(() -> new NotFoundException("Export"));
        if (!export.requestedBy().equals(caller.id()) && !caller.user().hasRole(Role.ADMIN)) {
            throw new NotFoundException("Export");
        }
        return export;
    }

    /**
     * Records that the requester is downloading the bundle, then returns it to be written: only the requester may, and only
     * while they still see every case in it. The download is recorded first, so none goes unrecorded.
     */
    public Download download(Caller caller, UUID id) {
        Viewer viewer = caller.viewer();
        String manifestKey = bundles.manifestKeyId();
        Turns.Turn turn = building.take();
        try {
            Recorded<ExportRecord> recorded = ledger.submit(caller.actor(), context -> {
                ExportRecord export = downloadable(context.attach(ExportDao.class), caller, viewer, id);
                return new Change.Applied<>(export, new LogEvent(LogAction.EXPORT_DOWNLOADED, Subject.export(id),
                        Map.of("exportId", id, "manifestKeyId", manifestKey), Set.copyOf(export.caseIds())));
            });
            return new Download(recorded.value(), recorded.logIndex(), caller.user().username(), turn);
        } catch (RuntimeException e) {
            turn.close();
            throw e;
        }
    }

    /** How many downloads were cut off because their client read too slowly (a metric). */
    public long cutTooSlow() {
        return pace.cut();
    }

    /** How many downloads were refused because as many bundles were being built as may be (a metric). */
    public long refusedBusy() {
        return building.refused();
    }

    /**
     * The bundle's file name, to whoever could download it, without building or recording a download: what a HEAD
     * request asks. Answering HEAD by running the download put an {@code export.downloaded} entry in the log for a
     * request that received no byte of the bundle.
     */
    public String bundleFileName(Caller caller, UUID id) {
        Viewer viewer = caller.viewer();
        return BundleWriter.fileName(jdbi.withExtension(ExportDao.class, exports -> downloadable(exports, caller, viewer, id)));
    }

    /** The export, if the caller requested it and still sees every case in it; anyone else is told it does not exist. */
    private static ExportRecord downloadable(ExportDao exports, Caller caller, Viewer viewer, UUID id) {
        ExportRecord export = exports.find(id).filter(header -> header.requestedBy().equals(caller.id()))
                .map(header -> header.with(exports.cases(id))).orElseThrow(() -> new NotFoundException("Export"));
        visibleCases(exports, export.caseIds(), viewer).orElseThrow(() -> new NotFoundException("Export"));
        return export;
    }

    /**
     * The cases, if the viewer sees every one of them (the ids are distinct). Asked a thousand at a time, not one by one:
     * this runs on the ledger's one writer, and an export of 5,000 cases checked one by one held every other write
     * back for 0.64 s on H2.
     */
    private static Optional<List<ExportRecord.ExportedCase>> visibleCases(ExportDao exports, List<UUID> caseIds, Viewer viewer) {
        List<ExportRecord.ExportedCase> visible = new ArrayList<>(caseIds.size());
        for (int from = 0; from < caseIds.size(); from += CASES_PER_QUERY) {
            List<UUID> some = caseIds.subList(from, Math.min(caseIds.size(), from + CASES_PER_QUERY));
            List<ExportRecord.ExportedCase> seen = exports.visibleCases(some, viewer);
            if (seen.size() != some.size()) {
                return Optional.empty();
            }
            visible.addAll(seen);
        }
        return Optional.of(visible);
    }

    /** A bundle the client will not have whole, by the client's doing: noted in the service's log, not an error of the service's. */
    public static final class Unfinished extends IOException {
        private Unfinished(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A recorded download, ready to stream, holding its turn at building until it is written or closed. */
    public final class Download implements java.io.Closeable {
        private final ExportRecord export;
        private final long logIndex;
        private final String requester;
        private final Turns.Turn turn;

        private Download(ExportRecord export, long logIndex, String requester, Turns.Turn turn) {
            this.export = export;
            this.logIndex = logIndex;
            this.requester = requester;
            this.turn = turn;
        }

        public long logIndex() {
            return logIndex;
        }

        public String fileName() {
            return BundleWriter.fileName(export);
        }

        /**
         * Writes the bundle, and gives the turn back. {@link Unfinished} means the client will not have it whole (it
         * went away, stopped reading, or read too slowly, {@link DownloadPace.TooSlow}); any other failure is the
         * service's. Either way the response must be aborted, not completed.
         */
        public void writeTo(OutputStream out) throws IOException {
            DownloadPace.Watched connection = pace.watch(out);
            try (turn) {
                bundles.write(export, requester, connection);
            } catch (IOException | RuntimeException e) { // the bundle's callbacks carry the connection's failure as UncheckedIOException
                IOException ended = connection.failure();
                if (ended == null) {
                    throw e;
                }
                if (ended instanceof DownloadPace.TooSlow) {
                    LOG.warn("Cut off the download of export {} after {} bytes: {}", export.id(), connection.written(), ended.getMessage());
                } else {
                    LOG.info("The download of export {} ended unfinished after {} bytes: the client went away or stopped reading ({})",
                            export.id(), connection.written(), Failures.describe(ended));
                }
                throw new Unfinished(ended);
            }
        }

        /** Gives the turn back, if the bundle did not already (the request is over). */
        @Override
        public void close() {
            turn.close();
        }
    }
}
