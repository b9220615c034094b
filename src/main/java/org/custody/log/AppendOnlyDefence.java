package org.custody.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.custody.common.DatabaseKind;
import org.custody.common.Sha256Digest;
import org.jdbi.v3.core.Handle;

/**
 * Whether the database still refuses what the migrations make it refuse: UPDATE, DELETE and TRUNCATE of the log's
 * tables and the export register (003, 005, 006, 007, 009; a payload may go only as an erasure names it). Its
 * administrator can switch any of it off, and must do so to edit the log in place; the cryptographic checks catch the
 * edit, and this says that the defence itself was changed.
 * It reads the catalog only.
 */
public final class AppendOnlyDefence {
    /** The tables no one may rewrite, as the migrations name them. */
    public static final List<String> TABLES = List.of("log_entry", "log_payload", "log_case", "log_checkpoint", "log_tile",
            "log_tile_part", "log_key", "log_head", "exports", "export_case", "log_erasure", "log_erased_case");

    /** What holds when {@link #gaps} finds none. */
    public static final String HOLDS = "UPDATE, DELETE and TRUNCATE refused on the log's tables and the export register";

    /**
     * The PL/pgSQL functions the PostgreSQL triggers call, by the SHA-256 of their source as the migrations define it:
     * a function replaced by one of the same name that lets every change through no longer counts.
     */
    private static final Map<String, String> POSTGRES_FUNCTIONS = Map.of(
            "custody_refuse_change", "9ddb3e505601b2b0378722937d4f35dd9cecc5718d356e5344b7fbd03944e5bf",
            "custody_key_may_retire", "ae9eebc4436bf0688928bdf8fe95efc24189a26f066e476318ba7545433fcd74",
            "custody_head_may_advance", "26d5d791a2ae071c9834a0d76eeafb3f740ae75c937120408d67e9a2f761af48",
            "custody_tile_part_may_go", "80b5c40f79bb741579f6343acaba5b8a3223e8d1918a64b0665e6ebeb1958432",
            "custody_payload_may_go", "0d335d41fe6c63b1623462bdc6837739f67f5c6ad11f62ae2917e89a11453ff9");

    private static final String H2_TRIGGER_CLASS = AppendOnlyTrigger.class.getName();

    /** pg_trigger.tgtype's bits (PostgreSQL's trigger.h). */
    private static final int BEFORE = 1 << 1;

    private enum PostgresEvent {
        UPDATE(1 << 4), DELETE(1 << 3), TRUNCATE(1 << 5);

        final int bit;

        PostgresEvent(int bit) {
            this.bit = bit;
        }
    }

    /** A statement on a table that something in the database refuses. */
    private record Refusal(String table, String event) {
    }

    private AppendOnlyDefence() {
    }

    /** What no longer holds, one line each; empty when every table refuses every rewrite. */
    public static List<String> gaps(Handle handle) {
        return DatabaseKind.of(handle) == DatabaseKind.H2 ? h2Gaps(handle) : postgresGaps(handle);
    }

    /**
     * H2: a BEFORE ROW trigger of {@link AppendOnlyTrigger} for UPDATE and for DELETE, and (H2 runs no trigger on
     * TRUNCATE but refuses to truncate a table a foreign key references) a foreign key of {@code log_truncate_guard}.
     */
    private static List<String> h2Gaps(Handle handle) {
        List<Refusal> refusals = new ArrayList<>(handle.createQuery("""
                        SELECT EVENT_OBJECT_TABLE, EVENT_MANIPULATION FROM INFORMATION_SCHEMA.TRIGGERS
                        WHERE ACTION_TIMING = 'BEFORE' AND ACTION_ORIENTATION = 'ROW' AND JAVA_CLASS = :triggerClass""")
                .bind("triggerClass", H2_TRIGGER_CLASS)
                .map((rs, ctx) -> new Refusal(lower(rs.getString(1)), rs.getString(2)))
                .list());
        refusals.addAll(handle.createQuery("""
                        SELECT referenced.TABLE_NAME
                        FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS reference
                        JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS referencing ON referencing.CONSTRAINT_SCHEMA = reference.CONSTRAINT_SCHEMA
                            AND referencing.CONSTRAINT_NAME = reference.CONSTRAINT_NAME
                        JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS referenced ON referenced.CONSTRAINT_SCHEMA = reference.UNIQUE_CONSTRAINT_SCHEMA
                            AND referenced.CONSTRAINT_NAME = reference.UNIQUE_CONSTRAINT_NAME
                        WHERE referencing.TABLE_NAME = 'LOG_TRUNCATE_GUARD'""")
                .map((rs, ctx) -> new Refusal(lower(rs.getString(1)), "TRUNCATE"))
                .list());
        Map<String, Set<String>> refused = new HashMap<>();
        refusals.forEach(refusal -> refused.computeIfAbsent(refusal.table(), table -> new TreeSet<>()).add(refusal.event()));
        List<String> gaps = new ArrayList<>();
        for (String table : TABLES) {
            Set<String> events = refused.getOrDefault(table, Set.of());
            for (String event : List.of("UPDATE", "DELETE")) {
                if (!events.contains(event)) {
                    gaps.add(table + ": no trigger refuses " + event);
                }
            }
            if (!events.contains("TRUNCATE")) {
                gaps.add(table + ": nothing refuses TRUNCATE (log_truncate_guard no longer references it)");
            }
        }
        return gaps;
    }

    /**
     * PostgreSQL: for UPDATE, DELETE and TRUNCATE of each table an enabled BEFORE trigger calling one of the
     * functions above, unchanged. A trigger switched off ({@code ALTER TABLE … DISABLE TRIGGER}, or left to fire only
     * for replication) does not count.
     */
    private static List<String> postgresGaps(Handle handle) {
        record Trigger(String table, String name, int type, String enabled, String function, String source) {
        }
        List<Trigger> triggers = handle.createQuery("""
                        SELECT c.relname, t.tgname, t.tgtype, t.tgenabled, p.proname, p.prosrc
                        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                        WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())::oid""")
                .map((rs, ctx) -> new Trigger(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
        List<String> gaps = new ArrayList<>();
        for (String table : TABLES) {
            for (PostgresEvent event : PostgresEvent.values()) {
                List<Trigger> before = triggers.stream()
                        .filter(trigger -> trigger.table().equals(table) && (trigger.type() & BEFORE) != 0 && (trigger.type() & event.bit) != 0)
                        .toList();
                List<Trigger> enabled = before.stream().filter(trigger -> trigger.enabled().equals("O") || trigger.enabled().equals("A")).toList();
                List<Trigger> working = enabled.stream().filter(trigger -> unchanged(trigger.function(), trigger.source())).toList();
                if (!working.isEmpty()) {
                    continue;
                }
                if (!enabled.isEmpty()) {
                    gaps.add(table + ": " + event + " goes to trigger " + enabled.get(0).name() + ", whose function "
                            + enabled.get(0).function() + " is not the one the migrations define");
                } else if (!before.isEmpty()) {
                    gaps.add(table + ": trigger " + before.get(0).name() + ", which refuses " + event + ", is disabled");
                } else {
                    gaps.add(table + ": no trigger refuses " + event);
                }
            }
        }
        return gaps;
    }

    /**
     * On PostgreSQL, why the role the service connects as could switch the defence off itself: it is a superuser
     * (who may set {@code session_replication_role}, and has every role's rights), or it may act as the owner of a
     * protected table, owning it or a member of its owner (who may disable or drop its triggers). Empty for a role
     * granted as {@code migrations/postgres-service-role.sql} grants, and on H2, where the service is the database's
     * only user and the file's owner in any case.
     */
    public static Optional<String> connectedRoleMayLiftIt(Handle handle) {
        if (DatabaseKind.of(handle) == DatabaseKind.H2) {
            return Optional.empty();
        }
        record ConnectedRole(String name, boolean superuser, List<String> owned) {
        }
        ConnectedRole role = handle.createQuery("""
                        SELECT r.rolname, r.rolsuper,
                               ARRAY(SELECT c.relname FROM pg_class c
                                     WHERE c.relnamespace = to_regnamespace(current_schema())::oid AND c.relkind IN ('r', 'p')
                                       AND c.relname = ANY(:tables) AND pg_has_role(r.oid, c.relowner, 'USAGE')
                                     ORDER BY c.relname)
                        FROM pg_roles r WHERE r.rolname = current_user""")
                .bindArray("tables", String.class, TABLES)
                .map((rs, ctx) -> new ConnectedRole(rs.getString(1), rs.getBoolean(2), List.of((String[]) rs.getArray(3).getArray())))
                .one();
        String reason;
        if (role.superuser()) {
            // a superuser has every role's rights, the owners' included
            reason = "is a superuser";
        } else if (!role.owned().isEmpty()) {
            reason = "may act as the owner of " + (role.owned().size() == TABLES.size() ? "the log's tables" : String.join(", ", role.owned()));
        } else {
            return Optional.empty();
        }
        return Optional.of("The service connects to PostgreSQL as " + role.name() + ", which " + reason
                + ", so the service's own credentials could switch the append-only triggers off; a role granted as"
                + " migrations/postgres-service-role.sql grants could not (README, \"Append-only, in the database too\")");
    }

    private static boolean unchanged(String function, String source) {
        String expected = POSTGRES_FUNCTIONS.get(function);
        return expected != null && expected.equals(sourceDigest(source));
    }

    /** SHA-256 of a function's source, in hex, as {@link #POSTGRES_FUNCTIONS} holds it. */
    static String sourceDigest(String source) {
        return HexFormat.of().formatHex(Sha256Digest.newDigest().digest(source.getBytes(StandardCharsets.UTF_8)));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
