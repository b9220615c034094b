package org.custody.evidence;

/** What happened to the preserved original in a chain-of-custody event. */
public enum CustodyAction {
    RECEIVED,
    TRANSFERRED,
    COPIED,
    VERIFIED,
    ACCESSED,
    OTHER
}
