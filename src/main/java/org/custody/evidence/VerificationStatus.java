package org.custody.evidence;

public enum VerificationStatus {
    UNVERIFIED,
    VERIFIED,
    DISPUTED,
    WITHDRAWN
}
