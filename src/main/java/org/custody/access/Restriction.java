package org.custody.access;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Whether a case is restricted (case workers need a grant too), and why the administrator decided so. */
public record Restriction(@NotNull Boolean restricted, @Size(max = 2000) String reason) {}
