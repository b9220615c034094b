package org.custody.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * An edit request: a JSON merge patch (RFC 7396) of a record's fields, and an optional top-level {@code reason}
 * that is not a field but says why (corrections) and goes into the log with the patch.
 */
public record Edit(ObjectNode patch, String reason) {
    public static final int MAX_REASON = 5_000;
    private static final Pattern REASON_TEXT = Pattern.compile(PlainText.LINES);

    /** Splits a request body into patch and reason; refuses a body that is not an object or names no field. */
    public static Edit of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.malformed("body", "must be a JSON object with the fields to change");
        }
        ObjectNode patch = ((ObjectNode) body).deepCopy();
        JsonNode reasonNode = patch.remove("reason");
        String reason = null;
        if (reasonNode != null && !reasonNode.isNull()) {
            if (!reasonNode.isTextual() || reasonNode.textValue().length() > MAX_REASON) {
                throw new InvalidInputException("reason", "must be text of at most " + MAX_REASON + " characters");
            }
            reason = reasonNode.textValue();
            String problem = Validation.textProblem(reason);
            if (problem != null) {
                throw InvalidInputException.malformed("reason", problem);
            }
            if (!REASON_TEXT.matcher(reason).matches()) {
                throw new InvalidInputException("reason", PlainText.LINES_MESSAGE);
            }
        }
        if (patch.isEmpty()) {
            throw new InvalidInputException("body", "names no field to change");
        }
        return new Edit(patch, reason);
    }
}
