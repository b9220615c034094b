package org.custody.cases;

import java.util.List;
import org.custody.common.DomainException;

/** A status change that the transition table does not allow from the case's current status. */
public class ForbiddenTransitionException extends DomainException {
    private final List<CaseStatus> allowed;

    public ForbiddenTransitionException(CaseStatus from, CaseStatus to, List<CaseStatus> allowed) {
        super("A case cannot go from " + from + " to " + to + "; allowed from " + from + ": " + allowed);
        this.allowed = List.copyOf(allowed);
    }

    public List<CaseStatus> allowed() {
        return allowed;
    }
}
