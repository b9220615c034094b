package org.custody.cases;

public enum Sex {
    FEMALE,
    MALE,
    UNKNOWN
}
