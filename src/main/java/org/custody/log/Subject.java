package org.custody.log;

import java.util.UUID;

/** What a log entry is about: a type ({@code case}, {@code evidence}, {@code user}) and an id. */
public record Subject(String type, UUID id) {
    /** The type of the entries about a user: their account, sign-ins, sessions and second factor. */
    public static final String USER = "user";

    public static Subject caseRecord(UUID id) {
        return new Subject("case", id);
    }

    public static Subject evidence(UUID id) {
        return new Subject("evidence", id);
    }

    /** The log itself (its keys): there is no id. */
    public static Subject log() {
        return new Subject("log", null);
    }

    public static Subject export(UUID id) {
        return new Subject("export", id);
    }

    public static Subject user(UUID id) {
        return new Subject(USER, id);
    }
}
