package org.custody.evidence;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.ReadRecorder;
import org.custody.access.Role;
import org.custody.cases.Cases;

/** The evidence linked to one case. */
@Path("/api/v1/cases/{caseId}/evidence")
@Produces(MediaType.APPLICATION_JSON)
public final class CaseEvidenceResource {
    private final Cases cases;
    private final Evidence evidence;

    private final ReadRecorder reads;

    public CaseEvidenceResource(Cases cases, Evidence evidence, ReadRecorder reads) {
        this.cases = cases;
        this.evidence = evidence;
        this.reads = reads;
    }

    @GET
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public List<EvidenceItem> forCase(@Auth Caller caller, @PathParam("caseId") UUID caseId) {
        cases.get(caller.viewer(), caseId);
        List<EvidenceItem> items = evidence.forCase(caller.viewer(), caseId);
        reads.caseEvidenceViewed(caller, caseId, items.stream().map(item -> new ReadRecorder.EvidenceShown(item.id(), item.caseIds())).toList());
        return items;
    }
}
