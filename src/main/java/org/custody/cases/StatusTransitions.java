package org.custody.cases;

import static org.custody.cases.CaseStatus.CHARGED;
import static org.custody.cases.CaseStatus.CLOSED;
import static org.custody.cases.CaseStatus.DECEASED;
import static org.custody.cases.CaseStatus.DETENTION_CONFIRMED;
import static org.custody.cases.CaseStatus.ON_TRIAL;
import static org.custody.cases.CaseStatus.RELEASED;
import static org.custody.cases.CaseStatus.REMAINS_RETURNED;
import static org.custody.cases.CaseStatus.REPATRIATED;
import static org.custody.cases.CaseStatus.REPORTED;
import static org.custody.cases.CaseStatus.SENTENCED;
import static org.custody.cases.CaseStatus.WHEREABOUTS_UNKNOWN;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed status changes (documented in the README). People disappear again after
 * confirmation, are re-detained after release, and cases are reopened: those paths are allowed on purpose.
 */
public final class StatusTransitions {
    private static final Map<CaseStatus, Set<CaseStatus>> ALLOWED = new EnumMap<>(CaseStatus.class);

    static {
        allow(REPORTED, WHEREABOUTS_UNKNOWN, DETENTION_CONFIRMED, RELEASED, REPATRIATED, DECEASED, CLOSED);
        allow(WHEREABOUTS_UNKNOWN, DETENTION_CONFIRMED, RELEASED, REPATRIATED, DECEASED, CLOSED);
        allow(DETENTION_CONFIRMED, WHEREABOUTS_UNKNOWN, CHARGED, RELEASED, REPATRIATED, DECEASED);
        allow(CHARGED, DETENTION_CONFIRMED, ON_TRIAL, WHEREABOUTS_UNKNOWN, RELEASED, REPATRIATED, DECEASED);
        allow(ON_TRIAL, CHARGED, SENTENCED, WHEREABOUTS_UNKNOWN, RELEASED, REPATRIATED, DECEASED);
        allow(SENTENCED, ON_TRIAL, WHEREABOUTS_UNKNOWN, RELEASED, REPATRIATED, DECEASED);
        allow(RELEASED, DETENTION_CONFIRMED, WHEREABOUTS_UNKNOWN, REPATRIATED, DECEASED, CLOSED);
        allow(REPATRIATED, DECEASED, CLOSED);
        allow(DECEASED, REMAINS_RETURNED, CLOSED);
        allow(REMAINS_RETURNED, CLOSED);
        allow(CLOSED, REPORTED);
    }

    private StatusTransitions() {}

    private static void allow(CaseStatus from, CaseStatus... to) {
        ALLOWED.put(from, EnumSet.of(to[0], to));
    }

    public static Set<CaseStatus> allowedFrom(CaseStatus from) {
        return Set.copyOf(ALLOWED.get(from));
    }

    public static boolean isAllowed(CaseStatus from, CaseStatus to) {
        return ALLOWED.get(from).contains(to);
    }
}
