package org.custody.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import org.h2.api.Trigger;

/**
 * H2's database-level defence of the log (PostgreSQL has the same rules in PL/pgSQL, see the changelog):
 * entries, payloads, case links, checkpoints and tiles are never updated or deleted; the part of an unfinished tile
 * may be deleted only once the full tile is stored; a payload only once {@code log_erasure} names its entry (an
 * erasure by law, in the same transaction); a key may only be retired; the head may only move forward.
 */
public final class AppendOnlyTrigger implements Trigger {
    private String table;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow != null && allowedUpdate(oldRow, newRow)) {
            return;
        }
        if (newRow == null && table.equals("log_tile_part") && tileIsFull(connection, oldRow)) {
            return;
        }
        if (newRow == null && table.equals("log_payload") && erasureNames(connection, oldRow)) {
            return;
        }
        throw new SQLException("the audit log is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " on " + table + " refused", "42501");
    }

    private boolean allowedUpdate(Object[] old, Object[] row) {
        return switch (table) {
            // key_id, name, public_key, valid_from, valid_until: only valid_until, only once
            case "log_key" -> old[4] == null && row[4] != null && Objects.equals(old[0], row[0]) && Objects.equals(old[1], row[1])
                    && Arrays.equals((byte[]) old[2], (byte[]) row[2]) && Objects.equals(old[3], row[3]);
            // id, size, root: forward only
            case "log_head" -> Objects.equals(old[0], row[0]) && ((Number) row[1]).longValue() >= ((Number) old[1]).longValue();
            default -> false;
        };
    }

    /** Whether an erasure names the entry of a payload (idx, salt, payload). */
    private static boolean erasureNames(Connection connection, Object[] payload) throws SQLException {
        return exists(connection, "SELECT 1 FROM log_erasure WHERE idx = ?", ((Number) payload[0]).longValue());
    }

    /** Whether the tile of a part (tile_level, tile_index, first_hash, hashes) is stored in full. */
    private static boolean tileIsFull(Connection connection, Object[] part) throws SQLException {
        return exists(connection, "SELECT 1 FROM log_tile WHERE tile_level = ? AND tile_index = ? AND OCTET_LENGTH(hashes) = 8192",
                ((Number) part[0]).intValue(), ((Number) part[1]).longValue());
    }

    private static boolean exists(Connection connection, String query, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            try (ResultSet found = statement.executeQuery()) {
                return found.next();
            }
        }
    }
}
