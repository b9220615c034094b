package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.UUID;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.common.ServiceUnavailableException;
import org.custody.log.Actor;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A read is recorded before it is answered; when it cannot be recorded it is refused, unless fail-closed is off. */
class ReadRecorderTest {
    private Core core;
    private Path dataDirectory;
    private Caller caller;

    @BeforeEach
    void start() throws Exception {
        TestDatabase database = TestDatabase.fresh(TestDatabase.Kind.H2);
        dataDirectory = TempDirectories.create("custody-reads");
        CustodyConfiguration config = TestConfigs.withDataDirectory(dataDirectory);
        DataSourceFactory dataSource = config.getDatabase();
        dataSource.setDriverClass(database.driverClass());
        dataSource.setUrl(database.url());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        core = Core.build(config, Json.configure(Jackson.newObjectMapper()), Validators.newValidator(), new MetricRegistry(), Clock.systemUTC());
        core.start();
        core.users().create(Actor.SYSTEM, new NewUser("reader", "Invented reader", "an invented passphrase", EnumSet.of(Role.LAWYER)));
        String token = core.sessions().signIn("reader", "an invented passphrase".toCharArray(), null, "192.0.2.1").value().token();
        caller = core.sessions().authenticate(token).orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        core.stop();
        TempDirectories.delete(dataDirectory);
    }

    @Test
    void aReadIsCommittedBeforeItIsAnsweredAndRefusedWhenItCannotBe() throws Exception {
        UUID caseId = UUID.randomUUID();
        long before = core.logReader().size();
        new ReadRecorder(core.ledger(), true, true).caseViewed(caller, caseId, "record");
        assertThat(core.logReader().size()).as("committed when caseViewed returns").isEqualTo(before + 1);
        assertThat(core.logReader().entry(before).entry().get("action").asText()).isEqualTo("case.viewed");

        core.ledger().stop();
        assertThatThrownBy(() -> new ReadRecorder(core.ledger(), true, true).caseViewed(caller, caseId, "record"))
                .isInstanceOf(ServiceUnavailableException.class);
        ReadRecorder failOpen = new ReadRecorder(core.ledger(), true, false);
        failOpen.caseViewed(caller, caseId, "record");
        assertThat(failOpen.lost()).isEqualTo(1);
        ReadRecorder off = new ReadRecorder(core.ledger(), false, true);
        off.caseViewed(caller, caseId, "record");
        assertThat(off.lost()).isZero();
        assertThat(core.logReader().size()).isEqualTo(before + 1);
    }
}
