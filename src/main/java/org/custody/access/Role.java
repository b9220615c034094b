package org.custody.access;

/** What a user may do. Names are stored and used in {@code @RolesAllowed}; never rename one. */
public enum Role {
    ADMIN,
    CASE_WORKER,
    LAWYER;

    public static final String ADMIN_NAME = "ADMIN";
    public static final String CASE_WORKER_NAME = "CASE_WORKER";
    public static final String LAWYER_NAME = "LAWYER";
}
