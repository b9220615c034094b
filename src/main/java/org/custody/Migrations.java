package org.custody;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;

/** Applies the Liquibase changelogs in {@code migrations/} (on the classpath) to the configured database. */
public final class Migrations {
    public static final String CHANGELOG = "migrations/migrations.xml";

    private Migrations() {}

    public static void apply(DataSourceFactory database, MetricRegistry metrics) {
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase =
                     new CloseableLiquibaseWithClassPathMigrationsFile(database.build(metrics, "migrations"), CHANGELOG)) {
            liquibase.update("");
        } catch (Exception e) {
            throw new IllegalStateException("database migration failed", e);
        }
    }
}
