package org.custody.common;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;

/** The databases the service runs on, told apart where their SQL or their settings differ. */
public enum DatabaseKind {
    H2,
    POSTGRESQL,
    OTHER;

    /** The kind of database {@code handle} is connected to, from the driver's product name. */
    public static DatabaseKind of(Handle handle) {
        String product;
        try {
            product = handle.getConnection().getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
        return switch (product) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            default -> OTHER;
        };
    }
}
