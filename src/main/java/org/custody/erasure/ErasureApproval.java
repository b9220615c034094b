package org.custody.erasure;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/** The approval of a proposed erasure: the proposal approved, by the index its answer or {@code GET …/erasure} gave. */
public record ErasureApproval(@NotNull @PositiveOrZero Long proposal) {}
