package org.custody.audit;

import java.util.Arrays;
import java.util.UUID;

/**
 * Numbers case ids 0, 1, 2, … in the order they are first met, in primitive arrays: verify-log numbers every case of
 * the log, a million for a million-entry log, and as a map of {@code UUID} to {@code Integer} they were three million
 * objects for the collector to trace and copy. Open addressing with linear probing; nothing is ever removed.
 */
final class CaseNumbers {
    private static final int INITIAL_SLOTS = 1 << 10;

    /** Per number, the id's two halves. */
    private long[] mostSignificant = new long[INITIAL_SLOTS / 2];
    private long[] leastSignificant = new long[INITIAL_SLOTS / 2];
    /** Per slot, the number stored there plus one; 0 for an empty slot. */
    private int[] slots = new int[INITIAL_SLOTS];
    private int size;

    /** The id's number, giving it the next one when it has none yet. */
    int number(UUID id) {
        int slot = slot(id);
        if (slots[slot] != 0) {
            return slots[slot] - 1;
        }
        if (size == mostSignificant.length) {
            mostSignificant = Arrays.copyOf(mostSignificant, size * 2);
            leastSignificant = Arrays.copyOf(leastSignificant, size * 2);
        }
        mostSignificant[size] = id.getMostSignificantBits();
        leastSignificant[size] = id.getLeastSignificantBits();
        slots[slot] = ++size;
        if (size > slots.length / 2) {
            rehash(slots.length * 2);
        }
        return size - 1;
    }

    /** The id's number, or -1 when it has none. */
    int find(UUID id) {
        return slots[slot(id)] - 1;
    }

    /** The id numbered {@code number}. */
    UUID id(int number) {
        if (number < 0 || number >= size) {
            throw new IndexOutOfBoundsException("no case has number " + number);
        }
        return new UUID(mostSignificant[number], leastSignificant[number]);
    }

    int size() {
        return size;
    }

    /** The slot that holds {@code id}, or the empty slot where it would go. */
    private int slot(UUID id) {
        long most = id.getMostSignificantBits();
        long least = id.getLeastSignificantBits();
        int mask = slots.length - 1;
        for (int slot = home(most, least) & mask; ; slot = (slot + 1) & mask) {
            int stored = slots[slot] - 1;
            if (stored < 0 || mostSignificant[stored] == most && leastSignificant[stored] == least) {
                return slot;
            }
        }
    }

    private void rehash(int slotCount) {
        slots = new int[slotCount];
        int mask = slotCount - 1;
        for (int number = 0; number < size; number++) {
            int slot = home(mostSignificant[number], leastSignificant[number]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = number + 1;
        }
    }

    /** Both halves mixed (a SplitMix64 finaliser), since ids need not be random: a version 7 id starts with a time. */
    private static int home(long most, long least) {
        long hash = most * 0x9E3779B97F4A7C15L ^ least;
        hash = (hash ^ (hash >>> 30)) * 0xBF58476D1CE4E5B9L;
        hash = (hash ^ (hash >>> 27)) * 0x94D049BB133111EBL;
        return (int) (hash ^ (hash >>> 31));
    }
}
