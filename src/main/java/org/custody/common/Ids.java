package org.custody.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Identifiers for new records: time-ordered UUIDs, version 7 of RFC 9562 (§5.7), 48 bits of Unix milliseconds
 * followed by 74 random bits. Records created one after another get neighbouring keys, so the indexes on ids
 * (cases, log links, the log's subject index) grow at their right edge instead of touching a random page of a
 * large index on every insert; a batch of appends then writes a handful of pages rather than one per row.
 * The id reveals the millisecond it was made, which the record's own creation time already states.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long unixMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000 | ((random[0] & 0x0F) << 8) | (random[1] & 0xFF);
        long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low);
    }
}
