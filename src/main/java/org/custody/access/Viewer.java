package org.custody.access;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Whose eyes a read is for, reduced to what decides which cases they see: case workers see every case that is not
 * restricted; anyone sees the cases they hold an unexpired grant for; nobody else sees any. Administrators manage
 * access but see case content only through one of those roles.
 */
public record Viewer(UUID userId, boolean seesUnrestricted, Instant at) {
    /**
     * The SQL condition that a {@code cases} row aliased {@code c} is visible, with the viewer bound by
     * {@code @BindMethods("viewer")}. Every read of case content, evidence and history goes through it.
     */
    public static final String SEES_CASE = """
            ((c.restricted = FALSE AND :viewer.seesUnrestricted)
             OR EXISTS (SELECT 1 FROM case_grant g WHERE g.case_id = c.id AND g.user_id = :viewer.userId
                        AND (g.expires_at IS NULL OR g.expires_at > :viewer.at)))""";

    /**
     * This viewer's values by their names in {@link #SEES_CASE}, for a {@link org.custody.common.PlainQuery} (a case
     * read) or a JDBI statement ({@link #bindTo}).
     */
    public Map<String, Object> parameters() {
        return Map.of("viewer.userId", userId, "viewer.seesUnrestricted", seesUnrestricted, "viewer.at", at);
    }

    /**
     * Binds this viewer to a statement using {@link #SEES_CASE}, each value by its name. The same as JDBI's
     * {@code bindMethods("viewer", viewer)}, without looking the methods up by reflection for every statement: every
     * change to a case runs it, on the ledger's one writer thread.
     */
    public <S extends SqlStatement<S>> S bindTo(S statement) {
        parameters().forEach(statement::bind);
        return statement;
    }

    /** A case worker acting outside a request (the command line, tests): sees what a case worker without grants sees. */
    public static Viewer caseWorker(UUID userId, Instant at) {
        return new Viewer(userId, true, at);
    }

    public static Viewer of(Caller caller, Instant at) {
        return new Viewer(caller.id(), caller.user().hasRole(Role.CASE_WORKER), at);
    }
}
