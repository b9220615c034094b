package org.custody.cases;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusTransitionsTest {
    @Test
    void everyStatusHasARowAndNoStatusGoesToItself() {
        for (CaseStatus status : CaseStatus.values()) {
            assertThat(StatusTransitions.allowedFrom(status)).as(status.name()).isNotEmpty().doesNotContain(status);
        }
    }

    @Test
    void followsTheDocumentedPaths() {
        assertThat(StatusTransitions.isAllowed(CaseStatus.REPORTED, CaseStatus.SENTENCED)).isFalse();
        assertThat(StatusTransitions.isAllowed(CaseStatus.CHARGED, CaseStatus.ON_TRIAL)).isTrue();
        assertThat(StatusTransitions.isAllowed(CaseStatus.DECEASED, CaseStatus.RELEASED)).isFalse();
        assertThat(StatusTransitions.isAllowed(CaseStatus.DECEASED, CaseStatus.REMAINS_RETURNED)).isTrue();
        assertThat(StatusTransitions.allowedFrom(CaseStatus.CLOSED)).containsExactly(CaseStatus.REPORTED);
    }
}
