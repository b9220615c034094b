package org.custody;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import java.util.List;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the Liquibase changelogs in {@code migrations/} (on the classpath) to the configured database. */
public final class Migrations {
    public static final String CHANGELOG = "migrations/migrations.xml";
    /** The first change set: a database without it has no Custody tables at all. */
    private static final String FIRST = "001-log";
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    public static void apply(DataSourceFactory database, MetricRegistry metrics) {
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase =
                     new CloseableLiquibaseWithClassPathMigrationsFile(database.build(metrics, "migrations"), CHANGELOG)) {
            liquibase.update("");
        } catch (Exception e) {
            throw new IllegalStateException("database migration failed", e);
        }
    }

    /**
     * Refuses a database whose schema lacks some change sets of this jar's changelog: a jar newer than the schema fails
     * on its first query naming a new column, with a stack trace instead of the step to take. A database without any
     * (no Custody tables at all) is left to the caller, whose first query reports it. Only reads the database's list of
     * applied change sets (nothing is created, so a read-only role may ask); Liquibase takes most of a second to answer.
     * When that list cannot be read (a service role granted before it was allowed to read it), the check is skipped
     * with a warning: it only names the step to take, and must not stop a service that ran before it existed.
     */
    public static void requireApplied(DataSourceFactory database, MetricRegistry metrics) {
        List<String> missing;
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase =
                     new CloseableLiquibaseWithClassPathMigrationsFile(database.build(metrics, "schema-check"), CHANGELOG)) {
            missing = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression(), false).stream().map(ChangeSet::getId).toList();
        } catch (Exception e) {
            LOG.warn("Could not read which change sets the database has applied ({}); its schema's version is not checked: "
                    + "migrations/postgres-service-role.sql grants the service role SELECT on databasechangelog", e.getClass().getSimpleName());
            return;
        }
        if (!missing.isEmpty() && !missing.contains(FIRST)) {
            throw new SchemaBehindException("the database's schema is older than this jar (not applied: " + String.join(", ", missing)
                    + "): run `java -jar custody.jar db migrate config.yml` with this jar, as the schema's owner, first");
        }
    }

    /** The database's schema is not the one this jar reads and writes; the message says what to do. */
    public static final class SchemaBehindException extends IllegalStateException {
        SchemaBehindException(String message) {
            super(message);
        }
    }
}
