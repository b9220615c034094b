package org.custody.common;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Reading the schema's time columns ({@code TIMESTAMP WITH TIME ZONE}) as instants, the same way on H2 and PostgreSQL. */
public final class SqlTimes {
    private SqlTimes() {}

    /** The column's instant; null when the column is (an optional expiry, a key still valid). */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp stored = rs.getTimestamp(column);
        return stored == null ? null : stored.toInstant();
    }
}
