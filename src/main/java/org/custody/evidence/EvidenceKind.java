package org.custody.evidence;

public enum EvidenceKind {
    VIDEO,
    PHOTO,
    DOCUMENT,
    TESTIMONY,
    MEDIA_REPORT,
    OFFICIAL_STATEMENT,
    OTHER
}
