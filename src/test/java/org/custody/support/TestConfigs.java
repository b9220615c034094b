package org.custody.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.custody.CustodyConfiguration;

/** Configurations built in code, for tests that use the core without the HTTP server. */
public final class TestConfigs {
    private TestConfigs() {}

    public static CustodyConfiguration withDataDirectory(Path dataDirectory) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("dataDirectory", dataDirectory.toString());
        node.putObject("log").put("origin", "custody.test/log");
        try {
            return io.dropwizard.jackson.Jackson.newObjectMapper().treeToValue(node, CustodyConfiguration.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
