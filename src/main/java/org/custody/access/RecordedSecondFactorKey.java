package org.custody.access;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Which second-factor key the database's TOTP secrets are sealed under, as the database records it: the key's
 * {@linkplain SecondFactorKey#checkValue() check value}, never the key, in the one row of {@code second_factor_key}.
 * Written by the first start (or the first start after an upgrade), replaced only by {@code keys reset-second-factors}.
 */
final class RecordedSecondFactorKey {
    private RecordedSecondFactorKey() {}

    /** The recorded check value, once an instance has recorded one. */
    static Optional<byte[]> read(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT check_value FROM second_factor_key WHERE id = 1")
                .mapTo(byte[].class).findOne());
    }

    /** Whether {@code key} is the recorded one, or none is recorded yet. */
    static boolean allows(Optional<byte[]> recorded, SecondFactorKey key) {
        return recorded.map(value -> MessageDigest.isEqual(value, key.checkValue())).orElse(true);
    }

    /**
     * Records a check value unless one is recorded already, and returns the one recorded: another instance that started
     * at the same moment with a key of its own may have been first (its row then refuses this one's insert).
     */
    static byte[] recordIfNone(Jdbi jdbi, byte[] checkValue, Instant at) {
        try {
            jdbi.useHandle(handle -> insert(handle, checkValue, at));
            return checkValue;
        } catch (JdbiException e) {
            return read(jdbi).orElseThrow(() -> e);
        }
    }

    /** Records a new key's check value in place of the one recorded, if any: for a key replaced on purpose. */
    static void replace(Jdbi jdbi, byte[] checkValue, Instant at) {
        jdbi.useHandle(handle -> {
            int updated = handle.createUpdate("UPDATE second_factor_key SET check_value = :value, recorded_at = :at WHERE id = 1")
                    .bind("value", checkValue).bind("at", at).execute();
            if (updated == 0) {
                insert(handle, checkValue, at);
            }
        });
    }

    private static void insert(Handle handle, byte[] checkValue, Instant at) {
        handle.createUpdate("INSERT INTO second_factor_key (id, check_value, recorded_at) VALUES (1, :value, :at)")
                .bind("value", checkValue).bind("at", at).execute();
    }
}
