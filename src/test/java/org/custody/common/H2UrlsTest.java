package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2UrlsTest {
    @Test
    void onlyAnEmbeddedH2DatabaseWithoutAutoServerHasThisProcessAsItsSoleWriter() {
        assertThat(H2Urls.hasSoleWriter("jdbc:h2:file:./data/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0")).isTrue();
        assertThat(H2Urls.hasSoleWriter("jdbc:h2:./data/custody")).isTrue();
        assertThat(H2Urls.hasSoleWriter("jdbc:h2:file:./data/custody;auto_server=true")).as("other processes connect through this one").isFalse();
        assertThat(H2Urls.hasSoleWriter("jdbc:h2:tcp://db.invented.example/custody")).isFalse();
        assertThat(H2Urls.hasSoleWriter("jdbc:h2:mem:custody;DB_CLOSE_DELAY=-1")).as("reachable from this JVM only").isTrue();
        assertThat(H2Urls.hasSoleWriter("jdbc:h2:ssl://db.invented.example/custody")).isFalse();
        assertThat(H2Urls.hasSoleWriter("jdbc:postgresql://db.invented.example/custody")).isFalse();
    }

    @Test
    void anEmbeddedDatabaseIsClosedByTheServiceNotByH2sShutdownHookAndKeepsNoTraceFile() {
        String shipped = "jdbc:h2:file:./data/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0";
        String opened = shipped + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0";
        assertThat(H2Urls.asTheServiceOpensIt(shipped)).isEqualTo(opened);
        assertThat(H2Urls.asTheServiceOpensIt(opened)).as("once only").isEqualTo(opened);
        assertThat(H2Urls.asTheServiceOpensIt("jdbc:h2:mem:custody;db_close_on_exit=true")).as("an operator's own choice stays")
                .isEqualTo("jdbc:h2:mem:custody;db_close_on_exit=true;TRACE_LEVEL_FILE=0");
        assertThat(H2Urls.asTheServiceOpensIt(shipped + ";TRACE_LEVEL_FILE=1")).as("an operator who wants H2's trace asks for it")
                .isEqualTo(shipped + ";TRACE_LEVEL_FILE=1;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2Urls.asTheServiceOpensIt("jdbc:h2:tcp://db.invented.example/custody")).as("a server's database is the server's to close")
                .isEqualTo("jdbc:h2:tcp://db.invented.example/custody");
        assertThat(H2Urls.asTheServiceOpensIt("jdbc:postgresql://db.invented.example/custody")).isEqualTo("jdbc:postgresql://db.invented.example/custody");
    }
}
