package org.custody;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.time.Clock;
import org.custody.access.Caller;
import org.custody.access.GrantResource;
import org.custody.access.MeResource;
import org.custody.access.SecondFactorHealthCheck;
import org.custody.access.SessionScopeFeature;
import org.custody.access.SessionResource;
import org.custody.access.UserResource;
import org.custody.cases.CaseResource;
import org.custody.common.ClientPace;
import org.custody.erasure.ErasureResource;
import org.custody.erasure.PendingErasureResource;
import org.custody.cli.AddUserCommand;
import org.custody.cli.CheckCheckpointCommand;
import org.custody.cli.DemoDataCommand;
import org.custody.cli.KeysCommand;
import org.custody.cli.VerifyLogCommand;
import org.custody.cli.VerifyExportCommand;
import org.custody.cli.BackupCommand;
import org.custody.cli.CompactCommand;
import org.custody.cli.RestoreCommand;
import org.custody.backup.BackupTask;
import org.custody.backup.H2Backups;
import org.custody.export.ExportResource;
import org.custody.evidence.CaseEvidenceResource;
import org.custody.evidence.EvidenceResource;
import org.custody.log.AppendOnlyDefence;
import org.custody.log.AppendOnlyHealthCheck;
import org.custody.log.LedgerHealthCheck;
import org.custody.log.LogHealthCheck;
import org.custody.log.SigningHealthCheck;
import org.custody.log.LogResource;
import org.custody.log.PayloadAccess;
import org.custody.web.BodyLimitFilter;
import org.custody.web.BodyWaits;
import org.custody.web.TokenInUrlFilter;
import org.custody.web.Utf8Bodies;
import org.custody.web.UnreadBodyFilter;
import org.custody.web.SecurityHeadersFilter;
import org.custody.web.DenyByDefaultFeature;
import org.custody.web.Json;
import org.custody.web.OpenApiResource;
import org.custody.web.ProblemMappers;
import org.custody.web.ProblemErrorHandler;
import org.custody.web.ProblemUnauthorizedHandler;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Custody: wires the features together. Every object is built here or in {@link Core}, with {@code new}. */
public class CustodyApplication extends Application<CustodyConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(CustodyApplication.class);

    public static void main(String[] args) throws Exception {
        // H2 keeps a small cache of the strings and numbers it reads, to share equal ones: each string read is hashed
        // for it, a payload's hundreds of characters included. Nothing here profits; verify-log's reading of a
        // million entries spent a third of its time there (README, "Performance"). Read once, when H2 first loads;
        // -Dh2.objectCache=true on the command line still wins.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
        new CustodyApplication().run(args);
    }

    @Override
    public String getName() {
        return "custody";
    }

    @Override
    public void initialize(Bootstrap<CustodyConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        Json.configure(bootstrap.getObjectMapper());
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(CustodyConfiguration configuration) {
                return configuration.getDatabase();
            }

            @Override
            public String getMigrationsFileName() {
                return Migrations.CHANGELOG;
            }
        });
        bootstrap.addCommand(new AddUserCommand());
        bootstrap.addCommand(new DemoDataCommand());
        bootstrap.addCommand(new KeysCommand());
        bootstrap.addCommand(new VerifyLogCommand());
        bootstrap.addCommand(new VerifyExportCommand());
        bootstrap.addCommand(new CheckCheckpointCommand());
        bootstrap.addCommand(new BackupCommand());
        bootstrap.addCommand(new RestoreCommand());
        bootstrap.addCommand(new CompactCommand());
    }

    @Override
    public void run(CustodyConfiguration config, Environment environment) {
        Json.refuseRepeatedNames(environment.getObjectMapper());
        Core core = Core.build(config, environment.getObjectMapper(), environment.getValidator(), environment.metrics(), Clock.systemUTC());
        environment.lifecycle().manage(core);
        environment.lifecycle().manage(new io.dropwizard.lifecycle.Managed() {
            @Override
            public void start() {
                core.initialAdmin().ensure();
                core.jdbi().useHandle(handle -> AppendOnlyDefence.connectedRoleMayLiftIt(handle).ifPresent(LOG::warn));
            }
        });
        environment.healthChecks().register("log", new LogHealthCheck(core.jdbi()));
        environment.healthChecks().register("ledger", new LedgerHealthCheck(core.ledger()));
        environment.healthChecks().register("append-only", new AppendOnlyHealthCheck(core.jdbi()));
        if (H2Backups.isH2File(config.getDatabase().getUrl())) {
            environment.admin().addTask(new BackupTask(core.jdbi(), core.dataDirectory().resolve("backups"), Clock.systemUTC()));
        }
        environment.healthChecks().register("signing", new SigningHealthCheck(core.jdbi(), core.logKeys()));
        environment.healthChecks().register("second-factors", new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()));
        environment.metrics().register("custody.reads.unrecorded", (com.codahale.metrics.Gauge<Long>) core.reads()::lost);
        environment.metrics().register("custody.reads.limited", (com.codahale.metrics.Gauge<Long>) core.reads()::limited);
        environment.metrics().register("custody.exports.refused-busy", (com.codahale.metrics.Gauge<Long>) core.exports()::refusedBusy);
        environment.metrics().register("custody.exports.cut-too-slow", (com.codahale.metrics.Gauge<Long>) core.exports()::cutTooSlow);
        environment.metrics().register("custody.passwords.refused-busy", (com.codahale.metrics.Gauge<Long>) core.passwords()::refusedBusy);
        environment.metrics().register("custody.sign-ins.throttled", (com.codahale.metrics.Gauge<Long>) core.sessions()::throttledRefusals);

        // Our mappers answer every error with problem+json; Dropwizard's defaults would answer some in their own shape.
        if (config.getServerFactory() instanceof AbstractServerFactory serverFactory) {
            serverFactory.setRegisterDefaultExceptionMappers(false);
        }
        ProblemMappers.all().forEach(environment.jersey()::register);
        ProblemErrorHandler jettyErrors = new ProblemErrorHandler();
        environment.getApplicationContext().setErrorHandler(jettyErrors);
        environment.lifecycle().addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                if (event instanceof org.eclipse.jetty.server.Server server) {
                    server.setErrorHandler(jettyErrors);
                }
            }
        });
        BodyWaits bodyWaits = new BodyWaits(config.getBodyWaitsPerAddress(), config.getBodyWaits());
        environment.jersey().register(new BodyLimitFilter(config.getMaxRequestBody().toBytes(), bodyWaits,
                new ClientPace(config.getMinRequestBodyRate().toBytes(), config.getRequestBodyRateGrace().toJavaDuration())));
        environment.metrics().register("custody.requests.body-waits-refused", (com.codahale.metrics.Gauge<Long>) bodyWaits::refused);
        environment.metrics().register("custody.requests.body-waits", (com.codahale.metrics.Gauge<Integer>) bodyWaits::waiting);
        environment.jersey().register(new UnreadBodyFilter());
        environment.jersey().register(new TokenInUrlFilter());
        environment.jersey().register(new Utf8Bodies());
        environment.servlets().addFilter("security-headers", new SecurityHeadersFilter())
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ERROR), false, "/*");

        environment.jersey().register(new AuthDynamicFeature(new OAuthCredentialAuthFilter.Builder<Caller>()
                .setAuthenticator(token -> core.sessions().authenticate(token))
                .setAuthorizer((caller, role, request) -> caller.user().roles().stream().anyMatch(r -> r.name().equals(role)))
                .setPrefix("Bearer")
                .setRealm("custody")
                .setUnauthorizedHandler(new ProblemUnauthorizedHandler())
                .buildAuthFilter()));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new DenyByDefaultFeature());
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));

        PayloadAccess payloads = core.payloadAccess();
        environment.jersey().register(new SessionResource(core.sessions()));
        environment.jersey().register(new SessionScopeFeature());
        environment.jersey().register(new UserResource(core.users(), core.sessions(), core.secondFactor(), core.grants(), core.logReader(), payloads));
        environment.jersey().register(new MeResource(core.ownPassword(), core.secondFactor(), core.grants(), core.initialAdmin()));
        environment.jersey().register(new GrantResource(core.grants()));
        environment.jersey().register(new ErasureResource(core.erasures()));
        environment.jersey().register(new PendingErasureResource(core.erasures()));
        environment.jersey().register(new CaseResource(core.cases(), core.logReader(), core.grants(), core.reads()));
        environment.jersey().register(new EvidenceResource(core.evidence(), core.reads()));
        environment.jersey().register(new CaseEvidenceResource(core.cases(), core.evidence(), core.reads()));
        environment.jersey().register(new ExportResource(core.exports()));
        environment.jersey().register(new LogResource(core.logProofs(), core.logReader(), payloads));
        environment.jersey().register(new OpenApiResource());
    }
}
