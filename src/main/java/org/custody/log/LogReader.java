package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.custody.common.NotFoundException;
import org.custody.common.Page;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Jdbi;

/** Read access to the log: case histories and entry listings. */
public final class LogReader {
    private final Jdbi jdbi;
    private final ObjectMapper mapper;

    public LogReader(Jdbi jdbi, ObjectMapper mapper) {
        this.jdbi = jdbi;
        this.mapper = mapper;
    }

    /** Every entry that changed a case, newest first; who looked at it and who may see it are in {@link #accessLog}. */
    public Page<LogRecord> caseHistory(UUID caseId, int page, int size) {
        return entriesForCase(caseId, false, page, size);
    }

    /** The reads of a case and its evidence, and the grants and restrictions that decided who could read it, newest first. */
    public Page<LogRecord> accessLog(UUID caseId, int page, int size) {
        return entriesForCase(caseId, true, page, size);
    }

    private Page<LogRecord> entriesForCase(UUID caseId, boolean access, int page, int size) {
        List<String> actions = LogAction.ACCESS.stream().map(LogAction::wireName).toList();
        return jdbi.withExtension(LogDao.class, log -> new Page<>(
                log.entriesForCase(caseId, actions, access, size, (long) page * size).stream().map(this::toRecord).toList(),
                page, size, log.countForCase(caseId, actions, access)));
    }

    public List<LogRecord> entriesFrom(long from, int limit) {
        return jdbi.withExtension(LogDao.class, log -> log.entriesFrom(from, limit).stream().map(this::toRecord).toList());
    }

    public LogRecord entry(long index) {
        List<LogRecord> found = entriesFrom(index, 1);
        if (found.isEmpty() || found.get(0).index() != index) {
            throw new NotFoundException("Log entry");
        }
        return found.get(0);
    }

    public long size() {
        return jdbi.withExtension(LogDao.class, LogDao::size);
    }

    private LogRecord toRecord(LogDao.StoredEntry stored) {
        try {
            JsonNode payload = stored.payload() == null ? null : mapper.readTree(stored.payload());
            String salt = stored.salt() == null ? null : Base64.getEncoder().encodeToString(stored.salt());
            return new LogRecord(stored.idx(), mapper.readTree(stored.entryBytes()), Base64.getEncoder().encodeToString(stored.entryBytes()),
                    Base64.getEncoder().encodeToString(TreeHash.leaf(stored.entryBytes())), payload, salt);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("log entry " + stored.idx() + " is not JSON", e);
        }
    }
}
