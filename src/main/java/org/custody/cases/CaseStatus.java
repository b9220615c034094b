package org.custody.cases;

/** Where a detained person's case stands. The current status is the latest recorded change. */
public enum CaseStatus {
    REPORTED,
    WHEREABOUTS_UNKNOWN,
    DETENTION_CONFIRMED,
    CHARGED,
    ON_TRIAL,
    SENTENCED,
    RELEASED,
    REPATRIATED,
    DECEASED,
    REMAINS_RETURNED,
    CLOSED
}
