package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.custody.web.DenyByDefaultFeature;
import org.custody.web.Public;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every resource method registered in the running application: each declares an access rule, the public ones
 * are exactly those the OpenAPI description marks public, and the description lists exactly these operations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSurfaceTest {
    TestApp app;

    @BeforeAll
    void start() {
        app = TestApp.start(TestDatabase.Kind.H2);
    }

    @AfterAll
    void stop() {
        app.close();
    }

    /** "METHOD /path" of every registered operation that needs a signed-in caller. */
    static java.util.Set<String> protectedOperations(TestApp app) {
        java.util.Set<String> operations = new TreeSet<>();
        registeredOperations(app).forEach((operation, isPublic) -> {
            if (!isPublic) {
                operations.add(operation);
            }
        });
        return operations;
    }

    /** "METHOD /path" → true when public, for every registered resource method. */
    private static Map<String, Boolean> registeredOperations(TestApp app) {
        Map<String, Boolean> operations = new TreeMap<>();
        for (Class<?> type : app.extension().getEnvironment().jersey().getResourceConfig().getClasses()) {
            if (!type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                continue;
            }
            Resource resource = Resource.from(type);
            collect(resource, resource.getPath(), type, operations);
        }
        return operations;
    }

    private static void collect(Resource resource, String path, Class<?> type, Map<String, Boolean> operations) {
        for (ResourceMethod method : resource.getResourceMethods()) {
            java.lang.reflect.Method java = method.getInvocable().getDefinitionMethod();
            assertThat(DenyByDefaultFeature.hasAccessRule(type, java))
                    .as("%s %s (%s.%s) declares @RolesAllowed or @Public", method.getHttpMethod(), path, type.getSimpleName(), java.getName())
                    .isTrue();
            operations.put(method.getHttpMethod() + " " + normalise(path), java.isAnnotationPresent(Public.class));
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path + "/" + child.getPath(), type, operations);
        }
    }

    private static String normalise(String path) {
        // a template's regular expression ({index: .+}) is the server's business; OpenAPI names the parameter only
        return ("/" + path).replaceAll("/+", "/").replaceAll("/$", "").replaceAll("\\{(\\w+):[^}]*}", "{$1}");
    }

    @Test
    void everyOperationHasAnAccessRuleAndTheOpenApiDescriptionListsExactlyThem() {
        Map<String, Boolean> registered = registeredOperations(app);
        JsonNode openApi = app.get("/api/v1/openapi.json", null).json();
        Map<String, Boolean> described = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode security = op.getValue().get("security");
                described.put(op.getKey().toUpperCase() + " " + path.getKey(), security != null && security.isEmpty());
            }
        }
        assertThat(new TreeSet<>(described.keySet())).isEqualTo(new TreeSet<>(registered.keySet()));
        assertThat(described).isEqualTo(registered);
        assertThat(registered.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("POST /api/v1/sessions", "GET /api/v1/openapi.json", "GET /api/v1/log/checkpoint",
                        "GET /api/v1/log/checkpoints/{size}", "GET /api/v1/log/keys", "GET /api/v1/log/proofs/consistency",
                        "GET /api/v1/log/tile/{level}/{index}");
    }
}
