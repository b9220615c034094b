package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.custody.support.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

class TamperPostgresTest extends TamperContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    /**
     * verify-log's second connection must read what its first reads: it imports the first transaction's snapshot, so
     * a change committed in between is as invisible to it as to the first. (Were the import skipped, the checks would
     * still come out right, sent back to the first connection by the head check, only slower: this test is what notices.)
     */
    @Test
    void theSecondConnectionReadsInTheFirstOnesSnapshot() {
        AtomicLong first = new AtomicLong();
        AtomicLong second = new AtomicLong();
        Snapshot.read(core.jdbi(), transaction -> {
            first.set(entries(transaction));
            Optional<String> exported = Snapshot.exported(transaction);
            assertThat(exported).isPresent();
            core.cases().create(worker, person("Written meanwhile"));
            // on other threads, as verify-log does: on this one, JDBI would hand back the open transaction's handle
            assertThat(CompletableFuture.supplyAsync(() -> core.jdbi().withHandle(TamperPostgresTest::entries)).join()).as("a fresh look")
                    .isGreaterThan(first.get());
            CompletableFuture.runAsync(() -> Snapshot.read(core.jdbi(), exported, imported -> second.set(entries(imported)))).join();
        });
        assertThat(second.get()).isEqualTo(first.get());
    }

    private static long entries(Handle handle) {
        return handle.createQuery("SELECT COUNT(*) FROM log_entry").mapTo(Long.class).one();
    }
}
