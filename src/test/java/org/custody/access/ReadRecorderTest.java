package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.custody.Core;
import org.custody.common.ServiceUnavailableException;
import org.custody.log.Actor;
import org.custody.log.LedgerHealthCheck;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A read is recorded before it is answered; when it cannot be recorded it is refused, unless fail-closed is off. */
class ReadRecorderTest {
    private static final ReadLimit NO_LIMIT = new ReadLimit(0, 1);
    private Core core;
    private Path dataDirectory;
    private Caller caller;

    @BeforeEach
    void start() throws Exception {
        dataDirectory = TempDirectories.create("custody-reads");
        core = TestConfigs.startCore(TestDatabase.fresh(TestDatabase.Kind.H2), dataDirectory, Clock.systemUTC());
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
        new ReadRecorder(core.ledger(), NO_LIMIT, true, true).caseViewed(caller, caseId, "record");
        assertThat(core.logReader().size()).as("committed when caseViewed returns").isEqualTo(before + 1);
        assertThat(core.logReader().entry(before).entry().get("action").asText()).isEqualTo("case.viewed");

        assertThat(new LedgerHealthCheck(core.ledger()).execute().isHealthy()).isTrue();
        core.ledger().stop();
        assertThat(new LedgerHealthCheck(core.ledger()).execute().getMessage()).as("the health check goes red with the writer")
                .isEqualTo("the ledger's writer is not running: no change can be stored");
        assertThatThrownBy(() -> new ReadRecorder(core.ledger(), NO_LIMIT, true, true).caseViewed(caller, caseId, "record"))
                .isInstanceOf(ServiceUnavailableException.class);
        ReadRecorder failOpen = new ReadRecorder(core.ledger(), NO_LIMIT, true, false);
        failOpen.caseViewed(caller, caseId, "record");
        assertThat(failOpen.lost()).isEqualTo(1);
        ReadRecorder off = new ReadRecorder(core.ledger(), NO_LIMIT, false, true);
        off.caseViewed(caller, caseId, "record");
        assertThat(off.lost()).isZero();
        assertThat(core.logReader().size()).isEqualTo(before + 1);
    }

    /** A case's evidence list is one read of the case and of each item: recorded together, or refused together. */
    @Test
    void aReadPastTheLimitRecordsNothingButTheFirstRefusalsNote() {
        ReadRecorder limited = new ReadRecorder(core.ledger(), new ReadLimit(1, 3), true, true);
        UUID caseId = UUID.randomUUID();
        List<ReadRecorder.EvidenceShown> items = List.of(new ReadRecorder.EvidenceShown(UUID.randomUUID(), List.of(caseId)),
                new ReadRecorder.EvidenceShown(UUID.randomUUID(), List.of(caseId)));
        long before = core.logReader().size();
        limited.casesViewed(caller, List.of(UUID.randomUUID(), UUID.randomUUID()), "search");
        assertThat(core.logReader().size()).isEqualTo(before + 2);

        assertThatThrownBy(() -> limited.caseEvidenceViewed(caller, caseId, items)).isInstanceOf(TooManyReadsException.class);
        assertThat(core.logReader().size()).as("the list's three reads refused, the refusal noted").isEqualTo(before + 3);
        assertThat(core.logReader().entry(before + 2).entry().get("action").asText()).isEqualTo("auth.reads_limited");
        assertThatThrownBy(() -> limited.casesViewed(caller, List.of(caseId, caseId), "search")).isInstanceOf(TooManyReadsException.class);
        assertThat(core.logReader().size()).as("noted once a minute").isEqualTo(before + 3);
        assertThat(limited.limited()).isEqualTo(2);
        limited.caseViewed(caller, caseId, "record");
        assertThat(core.logReader().size()).as("a refused read took nothing: one record was left").isEqualTo(before + 4);

        ReadRecorder unrecorded = new ReadRecorder(core.ledger(), new ReadLimit(1, 1), false, true);
        unrecorded.caseViewed(caller, caseId, "record");
        assertThatThrownBy(() -> unrecorded.caseViewed(caller, caseId, "record")).as("with reads not recorded, the limit still holds")
                .isInstanceOf(TooManyReadsException.class);
    }
}
