package org.custody.erasure;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.custody.common.PlainText;

/**
 * Why a case is erased: the legal basis (a court order, a data-protection ruling), as the administrator states it.
 * It stays in the log for good, beside the list of what was erased, so it names the decision, not the person.
 */
public record ErasureRequest(@NotBlank @Size(max = 2000) @PlainText.Lines String reason) {}
