package org.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.custody.CustodyApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tools, run as an operator would, against an H2 file database. */
class CommandsTest {
    @TempDir
    Path directory;

    private Path config() throws Exception {
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                dataDirectory: %1$s/data
                database:
                  driverClass: org.h2.Driver
                  url: jdbc:h2:file:%1$s/data/custody;WRITE_DELAY=0
                  user: sa
                  password: ""
                logging:
                  level: WARN
                """.formatted(directory));
        return config;
    }

    private long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void addUserReadsThePasswordFromStandardInputAndLogsTheCreation() throws Exception {
        Path config = config();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("a long enough password\n".getBytes(StandardCharsets.UTF_8)));
            new CustodyApplication().run("add-user", config.toString(), "--username", "lawyer1", "--display-name", "Lawyer One", "--roles", "LAWYER");
        } finally {
            System.setIn(stdin);
        }
        assertThat(count("SELECT COUNT(*) FROM users WHERE username = 'lawyer1' AND roles = 'LAWYER'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM log_entry WHERE action = 'user.created'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'")).isEqualTo(1);
    }

    @Test
    void demoDataLoadsInventedCasesThroughTheLedgerOnce() throws Exception {
        Path config = config();
        new CustodyApplication().run("demo-data", config.toString());
        new CustodyApplication().run("demo-data", config.toString());
        assertThat(count("SELECT COUNT(*) FROM cases")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM status_change")).isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM custody_event")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM log_entry")).isEqualTo(count("SELECT size FROM log_head"));
        assertThat(count("SELECT COUNT(*) FROM cases WHERE details LIKE '%Արամ%'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM cases WHERE details LIKE '%Сергей%'")).isEqualTo(1);
    }
}
