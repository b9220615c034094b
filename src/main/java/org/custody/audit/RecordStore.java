package org.custody.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte strings by text key, held in a few large arrays instead of as objects per record. verify-log's replay keeps a
 * record for every case of the log until it meets the case's row; as a map of entries, key strings and byte arrays a
 * million cases were several million objects that every collection traced and copied (a ninth of verify-log's CPU,
 * and most of its peak memory). Here they are a few hundred arrays the collector never looks into.
 *
 * <p>Each record is appended to an arena of large byte arrays as {@code [key length][key][value length][value]}; an
 * open-addressing table (linear probing, deletion by backward shift, so no tombstones) maps each key's hash to where
 * its record starts. A replaced or removed record leaves its bytes behind in the arena; once those outweigh the live
 * records, the live records are copied into a new arena. Not safe for use by more than one thread at once.
 */
final class RecordStore {
    private static final long EMPTY = -1;
    private static final int INITIAL_SLOTS = 1 << 6;

    /** The arena's arrays are this large (a larger record gets an array of its own). */
    private final int chunkSize;
    private byte[][] chunks = new byte[0][];
    private int chunkCount;
    /** Where the next record goes in the last chunk. */
    private int used;
    /** Per slot: where its record starts (chunk index in the high half, offset in the low half), or {@link #EMPTY}. */
    private long[] places = emptySlots(INITIAL_SLOTS);
    /** Per slot: the hash of its record's key, so that probing compares keys only when their hashes agree. */
    private int[] hashes = new int[INITIAL_SLOTS];
    private int size;
    private long liveBytes;
    private long deadBytes;

    /** A store whose arena grows in arrays of 4 MiB. */
    RecordStore() {
        this(1 << 22);
    }

    RecordStore(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        this.chunkSize = chunkSize;
    }

    int size() {
        return size;
    }

    boolean containsKey(String key) {
        return slotOf(utf8(key)) >= 0;
    }

    /** A copy of the value stored under {@code key}, or null. */
    byte[] get(String key) {
        int slot = slotOf(utf8(key));
        return slot < 0 ? null : value(places[slot]);
    }

    /** Stores {@code value} (copied) under {@code key}, replacing what was there. */
    void put(String key, byte[] value) {
        byte[] keyBytes = utf8(key);
        int hash = hash(keyBytes);
        int slot = slotOf(keyBytes, hash);
        if (slot >= 0) {
            forget(places[slot]);
            places[slot] = append(keyBytes, value);
        } else {
            slot = -slot - 1;
            places[slot] = append(keyBytes, value);
            hashes[slot] = hash;
            if (++size > places.length / 2) {
                resize(places.length * 2);
            }
        }
        if (deadBytes > liveBytes && deadBytes > chunkSize) {
            compact();
        }
    }

    /** Takes the value stored under {@code key} out and returns it, or null when there is none. */
    byte[] remove(String key) {
        int slot = slotOf(utf8(key));
        if (slot < 0) {
            return null;
        }
        byte[] value = value(places[slot]);
        forget(places[slot]);
        deleteSlot(slot);
        size--;
        return value;
    }

    void clear() {
        chunks = new byte[0][];
        chunkCount = 0;
        used = 0;
        places = emptySlots(INITIAL_SLOTS);
        hashes = new int[INITIAL_SLOTS];
        size = 0;
        liveBytes = 0;
        deadBytes = 0;
    }

    /** The keys, in their natural order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(size);
        for (long place : places) {
            if (place != EMPTY) {
                keys.add(key(place));
            }
        }
        keys.sort(null);
        return keys;
    }

    /** The slot holding {@code key}, or {@code -(insertion slot) - 1} when there is none. */
    private int slotOf(byte[] key) {
        return slotOf(key, hash(key));
    }

    private int slotOf(byte[] key, int hash) {
        int mask = places.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            long place = places[slot];
            if (place == EMPTY) {
                return -slot - 1;
            }
            if (hashes[slot] == hash && keyEquals(place, key)) {
                return slot;
            }
        }
    }

    /**
     * Empties a slot and moves back any later record of its probe run whose home slot is not between the gap and
     * itself (Knuth's algorithm R for linear probing), so that every record stays reachable from its home slot.
     */
    private void deleteSlot(int slot) {
        int mask = places.length - 1;
        int gap = slot;
        for (int next = (slot + 1) & mask; places[next] != EMPTY; next = (next + 1) & mask) {
            int home = hashes[next] & mask;
            if (((next - home) & mask) >= ((next - gap) & mask)) {
                places[gap] = places[next];
                hashes[gap] = hashes[next];
                gap = next;
            }
        }
        places[gap] = EMPTY;
    }

    private void resize(int slots) {
        long[] oldPlaces = places;
        int[] oldHashes = hashes;
        places = emptySlots(slots);
        hashes = new int[slots];
        int mask = slots - 1;
        for (int i = 0; i < oldPlaces.length; i++) {
            if (oldPlaces[i] != EMPTY) {
                int slot = oldHashes[i] & mask;
                while (places[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                places[slot] = oldPlaces[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }

    /** Copies the live records into a new arena, leaving the dead ones behind. */
    private void compact() {
        byte[][] oldChunks = chunks;
        chunks = new byte[0][];
        chunkCount = 0;
        used = 0;
        liveBytes = 0;
        deadBytes = 0;
        for (int slot = 0; slot < places.length; slot++) {
            long place = places[slot];
            if (place != EMPTY) {
                byte[] chunk = oldChunks[(int) (place >>> 32)];
                int offset = (int) place;
                int length = recordLength(chunk, offset);
                places[slot] = reserve(length);
                System.arraycopy(chunk, offset, chunks[chunkCount - 1], used - length, length);
            }
        }
    }

    private long append(byte[] key, byte[] value) {
        int length = 8 + key.length + value.length;
        long place = reserve(length);
        byte[] chunk = chunks[chunkCount - 1];
        int offset = (int) place;
        writeInt(chunk, offset, key.length);
        System.arraycopy(key, 0, chunk, offset + 4, key.length);
        writeInt(chunk, offset + 4 + key.length, value.length);
        System.arraycopy(value, 0, chunk, offset + 8 + key.length, value.length);
        return place;
    }

    /** Room for {@code length} bytes at the end of the arena; where it starts. */
    private long reserve(int length) {
        if (chunkCount == 0 || chunks[chunkCount - 1].length - used < length) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, Math.max(8, chunkCount * 2));
            }
            chunks[chunkCount++] = new byte[Math.max(chunkSize, length)];
            used = 0;
        }
        long place = (long) (chunkCount - 1) << 32 | used;
        used += length;
        liveBytes += length;
        return place;
    }

    private void forget(long place) {
        int length = recordLength(chunks[(int) (place >>> 32)], (int) place);
        liveBytes -= length;
        deadBytes += length;
    }

    private boolean keyEquals(long place, byte[] key) {
        byte[] chunk = chunks[(int) (place >>> 32)];
        int offset = (int) place;
        return readInt(chunk, offset) == key.length && Arrays.equals(chunk, offset + 4, offset + 4 + key.length, key, 0, key.length);
    }

    private String key(long place) {
        byte[] chunk = chunks[(int) (place >>> 32)];
        int offset = (int) place;
        return new String(chunk, offset + 4, readInt(chunk, offset), StandardCharsets.UTF_8);
    }

    private byte[] value(long place) {
        byte[] chunk = chunks[(int) (place >>> 32)];
        int valueAt = (int) place + 4 + readInt(chunk, (int) place);
        return Arrays.copyOfRange(chunk, valueAt + 4, valueAt + 4 + readInt(chunk, valueAt));
    }

    private static int recordLength(byte[] chunk, int offset) {
        int keyLength = readInt(chunk, offset);
        return 8 + keyLength + readInt(chunk, offset + 4 + keyLength);
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The key's hash, its bits mixed (MurmurHash3's finaliser) so that the low bits that pick a slot spread well. */
    private static int hash(byte[] key) {
        int hash = Arrays.hashCode(key);
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >>> 16);
    }

    private static long[] emptySlots(int count) {
        long[] slots = new long[count];
        Arrays.fill(slots, EMPTY);
        return slots;
    }

    private static void writeInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }
}
