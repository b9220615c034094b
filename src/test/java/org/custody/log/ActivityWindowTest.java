package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's activity is looked for a window of entries at a time, read in chunks: followed by its {@code next}, window
 * after window, it finds exactly what one look through the whole log finds, and each window looks at no entry outside it.
 */
class ActivityWindowTest {
    static List<TestDatabase.Kind> databases() {
        return TestDatabase.kinds();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void windowAfterWindowFindsWhatOneLookThroughTheWholeLogFinds(TestDatabase.Kind kind) {
        try (TestApp app = TestApp.start(kind)) {
            String worker = app.userWithRoles("window.worker", "CASE_WORKER");
            String other = app.userWithRoles("window.other", "CASE_WORKER");
            for (int i = 0; i < 4; i++) {
                String caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented " + i + "\"},\"category\":\"UNKNOWN\"}")
                        .expect(201).json().get("id").asText();
                app.get("/api/v1/cases/" + caseId, other).expect(200);
            }
            UUID workerId = UUID.fromString(app.userId(worker));
            TestDatabase database = app.database();
            Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password()).installPlugin(new SqlObjectPlugin());
            ObjectMapper mapper = new ObjectMapper();
            long size = app.logSize();

            LogReader.Activity whole = new LogReader(jdbi, mapper).activity(workerId, Long.MAX_VALUE, 1_000);
            assertThat(whole.items()).hasSizeGreaterThanOrEqualTo(5); // a sign-in and four creations
            assertThat(whole.next()).isNull();

            LogReader narrow = new LogReader(jdbi, mapper, 3, 2); // a window of three entries, read two at a time
            List<Long> found = new ArrayList<>();
            long before = Long.MAX_VALUE;
            int windows = 0;
            while (true) {
                LogReader.Activity window = narrow.activity(workerId, before, 1_000);
                windows++;
                assertThat(window.to()).isEqualTo(Math.min(before, size));
                assertThat(window.from()).isEqualTo(Math.max(0, window.to() - 3));
                window.items().forEach(item -> {
                    assertThat(item.index()).isGreaterThanOrEqualTo(window.from()).isLessThan(window.to());
                    found.add(item.index());
                });
                if (window.next() == null) {
                    break;
                }
                before = window.next();
            }
            assertThat(found).containsExactlyElementsOf(whole.items().stream().map(LogRecord::index).toList());
            assertThat(windows).isEqualTo((int) ((size + 2) / 3));

            // one item a request: each stops at the item it found, and the next goes on from there
            List<Long> oneByOne = new ArrayList<>();
            before = Long.MAX_VALUE;
            while (true) {
                LogReader.Activity one = narrow.activity(workerId, before, 1);
                assertThat(one.items()).hasSizeLessThanOrEqualTo(1);
                one.items().forEach(item -> oneByOne.add(item.index()));
                if (one.next() == null) {
                    break;
                }
                before = one.next();
            }
            assertThat(oneByOne).isEqualTo(found);
        }
    }
}
