package org.custody.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A query for at most one row in plain JDBC, written with JDBI's named parameters ({@code :name}), for the two
 * statements every case read runs: the session's lookup (every request runs that one) and the case. Through JDBI each
 * opened a handle and a statement, each with a copy of JDBI's configuration; over HTTP against PostgreSQL, the two in
 * plain JDBC took 0.04–0.10 ms less of the service's CPU a read, a tenth to a fifth of it, in every pair of runs (the
 * benchmarks' journal, "The two queries of a read in plain JDBC"). Every other statement stays with JDBI. Values are
 * bound as JDBI binds them: an {@link Instant} as a {@link Timestamp}, a {@link UUID} as an object.
 *
 * <p>The SQL may not quote text or use {@code ::} casts: a parser that need not know them cannot mistake them for
 * parameters.
 */
public final class PlainQuery<T> {
    /** Reads the row the result set stands on. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final String sql;
    private final List<String> parameters;
    private final RowReader<T> reader;

    public PlainQuery(String namedSql, RowReader<T> reader) {
        StringBuilder positional = new StringBuilder(namedSql.length());
        List<String> names = new ArrayList<>();
        int at = 0;
        while (at < namedSql.length()) {
            char c = namedSql.charAt(at);
            if (c == '\'' || c == '"') {
                throw new IllegalArgumentException("quoted text or names are not supported in a plain query");
            }
            if (c != ':') {
                positional.append(c);
                at++;
                continue;
            }
            int end = at + 1;
            while (end < namedSql.length() && (Character.isLetterOrDigit(namedSql.charAt(end)) || namedSql.charAt(end) == '_' || namedSql.charAt(end) == '.')) {
                end++;
            }
            if (end == at + 1 || !Character.isLetter(namedSql.charAt(at + 1))) {
                throw new IllegalArgumentException("a colon that does not start a parameter's name, at " + at);
            }
            names.add(namedSql.substring(at + 1, end));
            positional.append('?');
            at = end;
        }
        this.sql = positional.toString();
        this.parameters = List.copyOf(names);
        this.reader = reader;
    }

    /** The SQL as it is sent, each parameter a {@code ?}. */
    public String sql() {
        return sql;
    }

    /**
     * The row, if there is one, on a connection of its own from the pool.
     *
     * @param values each parameter's value by its name, looked up in the maps in order (the first that has it)
     * @throws IllegalStateException the query found more than one row
     * @throws QueryFailedException the database failed the query (unavailable, say); the cause is the driver's
     */
    @SafeVarargs
    public final Optional<T> findOne(DataSource dataSource, Map<String, ?>... values) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int position = 1; position <= parameters.size(); position++) {
                bind(statement, position, valueOf(parameters.get(position - 1), values));
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                T found = reader.read(rows);
                if (rows.next()) {
                    throw new IllegalStateException("expected one row at most, found more");
                }
                return Optional.of(found);
            }
        } catch (SQLException e) {
            throw new QueryFailedException(e);
        }
    }

    @SafeVarargs
    private static Object valueOf(String name, Map<String, ?>... values) {
        for (Map<String, ?> map : values) {
            if (map.containsKey(name)) {
                return map.get(name);
            }
        }
        throw new IllegalArgumentException("no value for the parameter " + name);
    }

    private static void bind(PreparedStatement statement, int position, Object value) throws SQLException {
        if (value instanceof Instant instant) {
            statement.setTimestamp(position, Timestamp.from(instant));
        } else if (value instanceof UUID || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer) {
            statement.setObject(position, value);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(position, bytes);
        } else {
            throw new IllegalArgumentException("a plain query does not bind " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }

    /** The database failed a plain query; the driver's exception is the cause, which says whether it is unavailable. */
    public static final class QueryFailedException extends RuntimeException {
        QueryFailedException(SQLException cause) {
            super("a query failed", cause);
        }
    }
}
