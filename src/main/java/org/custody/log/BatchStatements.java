package org.custody.log;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
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
        if (moved != 1) {
            throw new IllegalStateException("the log head is no longer at size " + previousSize + ": another writer moved it");
        }
    }
}
