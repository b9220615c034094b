package org.custody.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.Core;
import org.custody.cases.CaseDetails;
import org.custody.cases.CaseRecord;
import org.custody.cases.Category;
import org.custody.log.Actor;

/** Cases of invented persons, written through the service's core by eight writers at once (so batches hold several). */
public final class InventedCases {
    private InventedCases() {}

    /** Creates {@code count} cases ("Invented Person 0", "Invented Person 1", …) and returns them in that order. */
    public static List<CaseRecord> createConcurrently(Core core, Actor actor, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CaseRecord>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = "Invented Person " + i;
                writes.add(pool.submit(() -> core.cases().create(actor, new CaseDetails(new CaseDetails.Person(name, null, List.of(), null, null, null, null),
                        Category.UNKNOWN, null, null, null, null)).value()));
            }
            List<CaseRecord> created = new ArrayList<>();
            for (Future<CaseRecord> write : writes) {
                created.add(write.get());
            }
            return created;
        } finally {
            pool.shutdown();
        }
    }
}
