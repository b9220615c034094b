package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.custody.log.Jcs;
import org.custody.log.JcsReader;

/**
 * Replayed records by id. Records put here are copies: changing a record read from here changes nothing until it is
 * put back. Compact records are kept as their RFC 8785 canonical JSON bytes in a {@link RecordStore} rather than as
 * trees of nodes, so that verify-log's replay of a million cases takes a few hundred megabytes in a few hundred arrays
 * instead of several gigabytes of objects, and compares a record with its table row byte for byte; an export's small
 * replay, which reads its records many times, keeps nodes.
 */
final class ReplayedRecords<T extends JsonNode> extends AbstractMap<String, T> {
    /** The records as nodes, when not compact. */
    private final TreeMap<String, T> nodes = new TreeMap<>();
    /** The records as canonical bytes, when compact. */
    private final RecordStore canonical = new RecordStore();
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
        if (!compact) {
            return nodes.get(id);
        }
        byte[] bytes = id instanceof String key ? canonical.get(key) : null;
        return bytes == null ? null : parse(bytes);
    }

    @Override
    public T put(String id, T record) {
        return put(id, record, null);
    }

    /** {@link #put(String, JsonNode)}, with the record's canonical bytes when they are known (null otherwise). */
    T put(String id, T record, byte[] canonicalBytes) {
        if (compact) {
            canonical.put(id, canonicalBytes != null ? canonicalBytes : Jcs.canonicalize(record));
        } else {
            nodes.put(id, type.cast(record.deepCopy()));
        }
        return null;
    }

    /** The record as this map's type, refused as a {@link ClassCastException} (a replay problem) when it is not. */
    T cast(JsonNode record) {
        return type.cast(record);
    }

    @Override
    public T remove(Object id) {
        if (!compact) {
            return nodes.remove(id);
        }
        byte[] bytes = id instanceof String key ? canonical.remove(key) : null;
        return bytes == null ? null : parse(bytes);
    }

    /** Takes a record out and returns its canonical bytes, or null when there is none. */
    byte[] removeCanonical(String id) {
        if (compact) {
            return canonical.remove(id);
        }
        T record = nodes.remove(id);
        return record == null ? null : Jcs.canonicalize(record);
    }

    T parse(byte[] bytes) {
        try {
            JsonNode record = reader.read(bytes);
            return type.cast(record != null ? record : mapper.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("a replayed record is always JSON", e);
        }
    }

    @Override
    public boolean containsKey(Object id) {
        return compact ? id instanceof String key && canonical.containsKey(key) : nodes.containsKey(id);
    }

    @Override
    public int size() {
        return compact ? canonical.size() : nodes.size();
    }

    @Override
    public void clear() {
        nodes.clear();
        canonical.clear();
    }

    /** The ids in their order, without reading the records (for compact records, a snapshot). */
    @Override
    public Set<String> keySet() {
        return compact ? Collections.unmodifiableSet(new LinkedHashSet<>(canonical.keys())) : nodes.keySet();
    }

    /** The records in the order of their ids, each read when reached, as {@link #get} reads it. */
    @Override
    public Set<Entry<String, T>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, T>> iterator() {
                Iterator<String> ids = (compact ? canonical.keys() : List.copyOf(nodes.keySet())).iterator();
                return new Iterator<>() {
                    private String last;

                    @Override
                    public boolean hasNext() {
                        return ids.hasNext();
                    }

                    @Override
                    public Entry<String, T> next() {
                        last = ids.next();
                        return Map.entry(last, get(last));
                    }

                    @Override
                    public void remove() {
                        ReplayedRecords.this.remove(last);
                    }
                };
            }

            @Override
            public int size() {
                return ReplayedRecords.this.size();
            }
        };
    }
}
