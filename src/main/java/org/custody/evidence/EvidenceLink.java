package org.custody.evidence;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** A request to link an evidence item to one more case. */
public record EvidenceLink(@NotNull UUID caseId) {}
