package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.custody.log.Jcs;
import org.custody.log.JcsReader;

/**
 * Replayed records by id. Records put here are copies: changing a record read from here changes nothing until it is
 * put back. Compact records are kept as their RFC 8785 canonical JSON bytes rather than as trees of nodes, so that
 * verify-log's replay of a million cases takes a few hundred megabytes instead of several gigabytes and compares a
 * record with its table row byte for byte; an export's small replay, which reads its records many times, keeps nodes.
 */
final class ReplayedRecords<T extends JsonNode> extends AbstractMap<String, T> {
    private final TreeMap<String, Object> stored = new TreeMap<>();
    private final ObjectMapper mapper;
    private final JcsReader reader;
    private final Class<T> type;
    private final boolean compact;

    ReplayedRecords(ObjectMapper mapper, Class<T> type, boolean compact) {
        this.mapper = mapper;
        this.reader = new JcsReader(mapper);
        this.type = type;
        this.compact = compact;
    }

    @Override
    public T get(Object id) {
        Object value = stored.get(id);
        return value == null ? null : load(value);
    }

    @Override
    public T put(String id, T record) {
        return put(id, record, null);
    }

    /** {@link #put(String, JsonNode)}, with the record's canonical bytes when they are known (null otherwise). */
    T put(String id, T record, byte[] canonical) {
        stored.put(id, compact ? (canonical != null ? canonical : Jcs.canonicalize(record)) : record.deepCopy());
        return null;
    }

    /** The record as this map's type, refused as a {@link ClassCastException} (a replay problem) when it is not. */
    T cast(JsonNode record) {
        return type.cast(record);
    }

    @Override
    public T remove(Object id) {
        Object value = stored.remove(id);
        return value == null ? null : load(value);
    }

    /** Takes a record out and returns its canonical bytes, or null when there is none. */
    byte[] removeCanonical(String id) {
        Object value = stored.remove(id);
        return value == null ? null : compact ? (byte[]) value : Jcs.canonicalize((JsonNode) value);
    }

    private T load(Object value) {
        return compact ? parse((byte[]) value) : type.cast(value);
    }

    T parse(byte[] canonical) {
        try {
            JsonNode record = reader.read(canonical);
            return type.cast(record != null ? record : mapper.readTree(canonical));
        } catch (IOException e) {
            throw new UncheckedIOException("a replayed record is always JSON", e);
        }
    }

    @Override
    public boolean containsKey(Object id) {
        return stored.containsKey(id);
    }

    @Override
    public int size() {
        return stored.size();
    }

    @Override
    public void clear() {
        stored.clear();
    }

    @Override
    public Set<String> keySet() {
        return stored.keySet();
    }

    @Override
    public Set<Entry<String, T>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, T>> iterator() {
                Iterator<Entry<String, Object>> entries = stored.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public Entry<String, T> next() {
                        Entry<String, Object> entry = entries.next();
                        return Map.entry(entry.getKey(), load(entry.getValue()));
                    }

                    @Override
                    public void remove() {
                        entries.remove();
                    }
                };
            }

            @Override
            public int size() {
                return stored.size();
            }
        };
    }
}
