package org.custody.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The secrets and names the tests send to the service or receive from it (passwords, session tokens, TOTP secrets,
 * persons' names), one per line in {@code target/test-secrets.txt}, so that {@code .ci/scan-logs} can check that
 * none of them appears in the output of a whole test run. Only values long enough not to match ordinary log text
 * are kept, and only names that look like names (the hostile-input property's random text is not a name).
 */
public final class TestSecrets {
    private static final Path FILE = Path.of("target", "test-secrets.txt");
    private static final Set<String> SECRET_FIELDS = Set.of("password", "currentPassword", "newPassword", "token");
    private static final Set<String> NAME_FIELDS = Set.of("fullName", "originalScriptName", "displayName");
    /** Two words or more: a single word ("Administrator") could be ordinary log text. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{M}][\\p{L}\\p{M}.'-]*( [\\p{L}\\p{M}.'-]+)+");
    /** Printable ASCII, as every password and token the tests use is. */
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]*[\\x21-\\x7e]");
    private static final Pattern OTPAUTH_SECRET = Pattern.compile("[?&]secret=([A-Z2-7]{16,})");
    private static final Set<String> REMEMBERED = ConcurrentHashMap.newKeySet();

    private TestSecrets() {}

    /** Remembers the secrets and names in a body, when it is JSON; anything else holds none the tests chose. */
    public static void rememberFrom(String body) {
        if (body == null || body.isEmpty() || !(body.startsWith("{") || body.startsWith("["))) {
            return;
        }
        try {
            rememberFrom(TestApp.MAPPER.readTree(body));
        } catch (IOException notJson) {
            // a deliberately broken body: nothing in it to look for
        }
    }

    /** Remembers the secrets and names in a JSON body sent or received (any depth), and the secret of an otpauth URI. */
    private static void rememberFrom(JsonNode json) {
        if (json.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual() && SECRET_FIELDS.contains(field.getKey())) {
                    remember(field.getValue().asText(), SECRET);
                } else if (field.getValue().isTextual() && NAME_FIELDS.contains(field.getKey())) {
                    remember(field.getValue().asText(), NAME);
                } else {
                    rememberFrom(field.getValue());
                }
            }
        } else if (json.isArray()) {
            json.forEach(TestSecrets::rememberFrom);
        } else if (json.isTextual() && json.asText().startsWith("otpauth://")) {
            var secret = OTPAUTH_SECRET.matcher(json.asText());
            if (secret.find()) {
                remember(secret.group(1), SECRET);
            }
        }
    }

    private static void remember(String value, Pattern shape) {
        if (value.length() < 8 || value.length() > 200 || !shape.matcher(value).matches() || !REMEMBERED.add(value)) {
            return;
        }
        try {
            Files.createDirectories(FILE.getParent());
            // one short line per write, appended: lines from test JVMs running side by side do not interleave
            Files.writeString(FILE, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
