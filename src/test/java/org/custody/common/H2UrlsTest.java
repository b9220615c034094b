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
    void anEmbeddedDatabaseIsClosedByTheServiceNotByH2sShutdownHook() {
        String shipped = "jdbc:h2:file:./data/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0";
        assertThat(H2Urls.closedByTheService(shipped)).isEqualTo(shipped + ";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2Urls.closedByTheService(H2Urls.closedByTheService(shipped))).as("once only").isEqualTo(shipped + ";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2Urls.closedByTheService("jdbc:h2:mem:custody;db_close_on_exit=true")).as("an operator's own choice stays").endsWith("=true");
        assertThat(H2Urls.closedByTheService("jdbc:h2:tcp://db.invented.example/custody")).as("a server's database is the server's to close")
                .isEqualTo("jdbc:h2:tcp://db.invented.example/custody");
        assertThat(H2Urls.closedByTheService("jdbc:postgresql://db.invented.example/custody")).isEqualTo("jdbc:postgresql://db.invented.example/custody");
    }
}
