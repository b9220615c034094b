package org.custody.evidence;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.ReadRecorder;
import org.custody.access.Role;
import org.custody.cases.Cases;
import org.custody.common.Page;
import org.custody.web.QueryParams.Paging;

/** The evidence linked to one case, a page at a time (50 items unless {@code size} says otherwise, at most 200). */
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
    public Page<EvidenceItem> forCase(@Auth Caller caller, @PathParam("caseId") UUID caseId, @QueryParam("page") String page,
                                      @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 50);
        cases.get(caller.viewer(), caseId);
        Page<EvidenceItem> items = evidence.forCase(caller.viewer(), caseId, paging.page(), paging.size());
        reads.caseEvidenceViewed(caller, caseId, items.items().stream().map(item -> new ReadRecorder.EvidenceShown(item.id(), item.caseIds())).toList());
        return items;
    }
}
