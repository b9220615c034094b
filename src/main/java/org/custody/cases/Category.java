package org.custody.cases;

/** Under which rules of international humanitarian law the person is held, as far as known. */
public enum Category {
    CIVILIAN_DETAINEE,
    PRISONER_OF_WAR,
    UNKNOWN
}
