package org.custody;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.custody.common.H2Urls;

/**
 * Dropwizard's pooled data source (configured as {@code database:} in config.yml), without the Tomcat pool's statement
 * facade. The facade wraps every statement and result set in a reflective proxy, so that a closed statement's
 * {@code equals} and {@code hashCode} still answer and its {@code getConnection} returns the pooled connection; nothing
 * here needs either, and through it every column of every row read went through {@code Method.invoke}: a million
 * entries' worth in verify-log, a dozen columns in each case read. The connection facade, which stops a connection
 * from being used once it has been handed back, stays.
 */
public class DatabaseFactory extends DataSourceFactory {
    /**
     * Sets {@code database} up for a command-line tool: no connections opened ahead and none kept idle. A command uses
     * one to three connections, and when the database cannot be reached its first use fails with the command's own one
     * line; a pool that opens connections ahead logs that failure itself, with a stack trace, on standard output.
     */
    public static void forCommand(DataSourceFactory database) {
        database.setInitialSize(0);
        database.setMinSize(0);
    }

    /**
     * The pool (the service's, the migrations', a command's). An embedded H2 database is closed by the service when its
     * pool stops, not by H2's own shutdown hook, and writes no trace file ({@link H2Urls#asTheServiceOpensIt}).
     */
    @Override
    public ManagedDataSource build(MetricRegistry metricRegistry, String name) {
        setUrl(H2Urls.asTheServiceOpensIt(getUrl()));
        ManagedDataSource dataSource = super.build(metricRegistry, name);
        ((DataSourceProxy) dataSource).setUseStatementFacade(false);
        return dataSource;
    }
}
