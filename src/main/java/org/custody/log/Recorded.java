package org.custody.log;

/** The result of an applied change and the index of the log entry that records it. */
public record Recorded<R>(R value, long logIndex) {}
