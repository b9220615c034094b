package org.custody.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.custody.common.PlainText;

/**
 * Whether a case is restricted (case workers need a grant too), and why the administrator decided so: the reason is
 * required, restricting or lifting, since the case's access log shows it as what decided who could see the case.
 */
public record Restriction(@NotNull Boolean restricted, @NotBlank @Size(max = 2000) @PlainText.Lines String reason) {}
