package org.custody.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The statements every ledger batch runs, as plain statements on the writer's handle rather than a SqlObject: they
 * run once per batch on the one thread that limits the append rate, and a SqlObject call costs several times the
 * statement (a copy of JDBI's configuration per call). Insert-only, like {@link LogDao}: nothing here updates or
 * deletes an entry; the head row only moves forward, under its lock.
 */
final class BatchStatements {
    private BatchStatements() {}

    /** Locks the head row for the rest of the transaction: appends are serialised across threads and instances. */
    static LogDao.Head lockHead(Handle handle) {
        return handle.createQuery("SELECT size, root FROM log_head WHERE id = 1 FOR UPDATE")
                .map((rs, ctx) -> new LogDao.Head(rs.getLong("size"), rs.getBytes("root"))).one();
    }

    static void insertEntries(Handle handle, List<EntryEncoder.EncodedEntry> entries) {
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO log_entry (idx, entry_bytes, action, subject_type, subject_id, recorded_at)
                VALUES (:index, :entryBytes, :action, :subjectType, CAST(:subjectId AS UUID), :time)""");
        for (EntryEncoder.EncodedEntry entry : entries) {
            batch.bind("index", entry.index()).bind("entryBytes", entry.entryBytes()).bind("action", entry.action())
                    .bind("subjectType", entry.subjectType()).bind("subjectId", entry.subjectId()).bind("time", entry.time()).add();
        }
        batch.execute();
    }

    static void insertPayloads(Handle handle, List<EntryEncoder.EncodedEntry> entries) {
        PreparedBatch batch = handle.prepareBatch("INSERT INTO log_payload (idx, salt, payload) VALUES (:index, :salt, :payload)");
        for (EntryEncoder.EncodedEntry entry : entries) {
            batch.bind("index", entry.index()).bind("salt", entry.salt()).bind("payload", entry.payload()).add();
        }
        batch.execute();
    }

    /** Which entries concern which case (case histories and exports read them). */
    static void insertCaseLinks(Handle handle, List<EntryEncoder.EncodedEntry> entries) {
        PreparedBatch batch = handle.prepareBatch("INSERT INTO log_case (case_id, idx) VALUES (:caseId, :index)");
        for (EntryEncoder.EncodedEntry entry : entries) {
            for (UUID caseId : entry.event().caseIds()) {
                batch.bind("caseId", caseId).bind("index", entry.index()).add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    static void insertCheckpoint(Handle handle, long size, String note, Instant signedAt) {
        handle.createUpdate("INSERT INTO log_checkpoint (size, note, signed_at) VALUES (:size, :note, :signedAt)")
                .bind("size", size).bind("note", note).bind("signedAt", signedAt).execute();
    }

    /** Moves the head from {@code previousSize}; fails (and so does the batch) if it is no longer there. */
    static void advanceHead(Handle handle, long previousSize, long size, byte[] root) {
        int moved = handle.createUpdate("UPDATE log_head SET size = :size, root = :root WHERE id = 1 AND size = :previousSize")
                .bind("size", size).bind("root", root).bind("previousSize", previousSize).execute();
        checkMoved(moved, previousSize);
    }

    private static void checkMoved(int moved, long previousSize) {
        if (moved != 1) {
            throw new IllegalStateException("the log head is no longer at size " + previousSize + ": another writer moved it");
        }
    }

    /**
     * PostgreSQL only: the batch's entries, payloads, case links, tile parts and checkpoint, and the head's move, as one
     * statement (one round trip instead of six): data-modifying WITH queries over arrays, one array per column. The
     * head moves only from {@code previousSize}, as in {@link #advanceHead}. Finished tiles are not in it (see
     * {@link LogRows#write}).
     */
    static void appendAll(Handle handle, LogRows rows, long previousSize, long size, byte[] root) {
        List<EntryEncoder.EncodedEntry> entries = rows.entries();
        int n = entries.size();
        Long[] indexes = new Long[n];
        byte[][] entryBytes = new byte[n][];
        String[] actions = new String[n];
        String[] subjectTypes = new String[n];
        String[] subjectIds = new String[n];
        String[] times = new String[n];
        byte[][] salts = new byte[n][];
        String[] payloads = new String[n];
        List<String> linkCases = new ArrayList<>();
        List<Long> linkIndexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EntryEncoder.EncodedEntry entry = entries.get(i);
            indexes[i] = entry.index();
            entryBytes[i] = entry.entryBytes();
            actions[i] = entry.action();
            subjectTypes[i] = entry.subjectType();
            subjectIds[i] = entry.subjectId() == null ? null : entry.subjectId().toString();
            times[i] = entry.time().toString();
            salts[i] = entry.salt();
            payloads[i] = entry.payload();
            for (UUID caseId : entry.event().caseIds()) {
                linkCases.add(caseId.toString());
                linkIndexes.add(entry.index());
            }
        }
        List<LogRows.TileWrite> parts = rows.tiles().stream().filter(tile -> !tile.full()).toList();
        Integer[] partLevels = parts.stream().map(LogRows.TileWrite::level).toArray(Integer[]::new);
        Long[] partIndexes = parts.stream().map(LogRows.TileWrite::index).toArray(Long[]::new);
        Integer[] partFirsts = parts.stream().map(LogRows.TileWrite::storedBefore).toArray(Integer[]::new);
        byte[][] partHashes = parts.stream().map(tile -> JdbiTileStorage.newHashes(tile.hashes(), tile.storedBefore())).toArray(byte[][]::new);
        LogRows.Checkpoint checkpoint = rows.checkpoint();
        int moved = handle.createUpdate("""
                WITH entries AS (
                    INSERT INTO log_entry (idx, entry_bytes, action, subject_type, subject_id, recorded_at)
                    SELECT * FROM unnest(CAST(:indexes AS BIGINT[]), CAST(:entryBytes AS BYTEA[]), CAST(:actions AS TEXT[]),
                                         CAST(:subjectTypes AS TEXT[]), CAST(:subjectIds AS UUID[]), CAST(:times AS TIMESTAMPTZ[]))
                ), payloads AS (
                    INSERT INTO log_payload (idx, salt, payload)
                    SELECT * FROM unnest(CAST(:indexes AS BIGINT[]), CAST(:salts AS BYTEA[]), CAST(:payloads AS TEXT[]))
                ), case_links AS (
                    INSERT INTO log_case (case_id, idx)
                    SELECT * FROM unnest(CAST(:linkCases AS UUID[]), CAST(:linkIndexes AS BIGINT[]))
                ), tile_parts AS (
                    INSERT INTO log_tile_part (tile_level, tile_index, first_hash, hashes)
                    SELECT * FROM unnest(CAST(:partLevels AS INT[]), CAST(:partIndexes AS BIGINT[]), CAST(:partFirsts AS INT[]),
                                         CAST(:partHashes AS BYTEA[]))
                ), checkpoint AS (
                    INSERT INTO log_checkpoint (size, note, signed_at) VALUES (:checkpointSize, :note, :signedAt)
                )
                UPDATE log_head SET size = :size, root = :root WHERE id = 1 AND size = :previousSize""")
                .bind("indexes", array("int8", indexes)).bind("entryBytes", array("bytea", entryBytes))
                .bind("actions", array("text", actions)).bind("subjectTypes", array("text", subjectTypes))
                .bind("subjectIds", array("text", subjectIds)).bind("times", array("text", times))
                .bind("salts", array("bytea", salts)).bind("payloads", array("text", payloads))
                .bind("linkCases", array("text", linkCases.toArray(String[]::new))).bind("linkIndexes", array("int8", linkIndexes.toArray(Long[]::new)))
                .bind("partLevels", array("int4", partLevels)).bind("partIndexes", array("int8", partIndexes))
                .bind("partFirsts", array("int4", partFirsts)).bind("partHashes", array("bytea", partHashes))
                .bind("checkpointSize", checkpoint.size()).bind("note", checkpoint.note()).bind("signedAt", checkpoint.signedAt())
                .bind("size", size).bind("root", root).bind("previousSize", previousSize)
                .execute();
        checkMoved(moved, previousSize);
    }

    /** A JDBC array of {@code values} as the database's {@code elementType}, made on the statement's own connection. */
    private static Argument array(String elementType, Object[] values) {
        return (position, statement, context) -> statement.setArray(position, statement.getConnection().createArrayOf(elementType, values));
    }
}
