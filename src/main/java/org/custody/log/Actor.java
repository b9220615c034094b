package org.custody.log;

import java.util.UUID;

/**
 * Who made a change, as written into a log entry: a staff member's id and user name, or the service itself
 * ({@link #SYSTEM}) for start-up and command-line work. Never a detainee's data.
 */
public record Actor(UUID id, String username) {
    public static final Actor SYSTEM = new Actor(null, "system");
}
