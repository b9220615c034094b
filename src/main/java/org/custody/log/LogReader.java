package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.custody.common.NotFoundException;
import org.custody.common.Page;
import org.custody.log.tree.TilePath;
import org.custody.log.tree.TileStorage;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Jdbi;

/** Read access to the log: case histories, a user's activity and entry listings. */
public final class LogReader {
    /** How many entries one request for a user's activity looks through at most. */
    public static final int ACTIVITY_WINDOW = 100_000;
    /** How many of them one query reads: a driver may read a whole result before the first row (PostgreSQL's does outside a transaction). */
    private static final int ACTIVITY_CHUNK = 1_000;

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final int activityWindow;
    private final int activityChunk;

    public LogReader(Jdbi jdbi, ObjectMapper mapper) {
        this(jdbi, mapper, ACTIVITY_WINDOW, ACTIVITY_CHUNK);
    }

    LogReader(Jdbi jdbi, ObjectMapper mapper, int activityWindow, int activityChunk) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.activityWindow = activityWindow;
        this.activityChunk = activityChunk;
    }

    /**
     * Every entry a user's actions wrote with {@code from <= index < to}, newest first; {@code next} is the {@code before}
     * to ask with for the entries before {@code from}, null once the log's first entry was looked at.
     */
    public record Activity(List<LogRecord> items, long from, long to, Long next) {}

    /**
     * What a user did, as the log recorded it (reads, edits, exports, sign-ins; never what others did to their account),
     * newest first, from the entries before index {@code before}: what to review after a suspected leak or a stolen
     * session. The log names its actor only inside each entry's bytes, so this looks through the entries themselves,
     * at most {@link #ACTIVITY_WINDOW} a request, and stops early at {@code limit} items; {@code next} continues. Each
     * entry's canonical bytes (RFC 8785) hold the actor as {@code "actor":{"id":"<id>",...}}, so a byte match is exact.
     */
    public Activity activity(UUID actorId, long before, int limit) {
        byte[] needle = ("\"actor\":{\"id\":\"" + actorId + "\"").getBytes(StandardCharsets.UTF_8);
        return jdbi.withHandle(handle -> {
            long to = Math.min(before, handle.attach(LogDao.class).size());
            long windowStart = Math.max(0, to - activityWindow);
            List<Long> found = new ArrayList<>();
            // a chunk a query, newest first: the first often holds the limit
            for (long chunkTo = to; chunkTo > windowStart && found.size() < limit; chunkTo -= activityChunk) {
                List<Map.Entry<Long, byte[]>> chunk = handle
                        .createQuery("SELECT idx, entry_bytes FROM log_entry WHERE idx >= :from AND idx < :to ORDER BY idx DESC")
                        .bind("from", Math.max(windowStart, chunkTo - activityChunk)).bind("to", chunkTo)
                        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).list();
                for (Map.Entry<Long, byte[]> row : chunk) {
                    if (found.size() < limit && contains(row.getValue(), needle)) {
                        found.add(row.getKey());
                    }
                }
            }
            // stopped at the limit: the entries before the last one found are still to be looked at
            long from = found.size() == limit ? found.get(found.size() - 1) : windowStart;
            List<LogRecord> items = found.isEmpty() ? List.of()
                    : handle.attach(LogDao.class).entriesAt(found).stream().map(this::toRecord).toList();
            return new Activity(items, from, to, from > 0 ? from : null);
        });
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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

    /**
     * An entry bundle as c2sp.org/tlog-tiles serves it: the bytes of the tile's entries (those whose leaf hashes the
     * level-0 tile of the same coordinates holds), each after its length as a big-endian uint16. Entries are a few hundred
     * bytes (a username is at most 64 characters), far within the format's 65,535. Not found beyond the log's size.
     */
    public byte[] entryBundle(TilePath tile) {
        if (tile.level() != 0) {
            throw new IllegalArgumentException("entry bundles have the coordinates of level-0 tiles");
        }
        return jdbi.withHandle(handle -> {
            if (!tile.inTreeOf(handle.attach(LogDao.class).size())) {
                throw new NotFoundException("Entry bundle");
            }
            long from = tile.index() * TileStorage.WIDTH;
            ByteArrayOutputStream bundle = new ByteArrayOutputStream(tile.width() * 300);
            long[] next = {from};
            handle.createQuery("SELECT idx, entry_bytes FROM log_entry WHERE idx >= :from AND idx < :to ORDER BY idx")
                    .bind("from", from).bind("to", from + tile.width())
                    .map((rs, ctx) -> new BundledEntry(rs.getLong(1), rs.getBytes(2)))
                    .forEach(entry -> {
                        if (entry.index() != next[0]++ || entry.bytes().length > 0xFFFF) {
                            throw new IllegalStateException("entry " + entry.index() + " cannot go into bundle " + tile.path());
                        }
                        bundle.write(entry.bytes().length >>> 8);
                        bundle.write(entry.bytes().length & 0xFF);
                        bundle.write(entry.bytes(), 0, entry.bytes().length);
                    });
            if (next[0] != from + tile.width()) {
                throw new IllegalStateException("bundle " + tile.path() + " lacks entries below the log's size");
            }
            return bundle.toByteArray();
        });
    }

    private record BundledEntry(long index, byte[] bytes) {}

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
