package org.custody.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.ReadRecorder;
import org.custody.access.Role;
import org.custody.common.MergePatch;
import org.custody.common.Page;
import org.custody.common.Reason;
import org.custody.log.Recorded;
import org.custody.web.ETags;
import org.custody.web.LogIndexed;
import org.custody.web.QueryParams;
import org.custody.web.QueryParams.Paging;

/** Evidence references, their links to cases and their chain of custody. */
@Path("/api/v1/evidence")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class EvidenceResource {
    private final Evidence evidence;

    private final ReadRecorder reads;

    public EvidenceResource(Evidence evidence, ReadRecorder reads) {
        this.evidence = evidence;
        this.reads = reads;
    }

    @POST
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response add(@Auth Caller caller, @NotNull JsonNode body) {
        Recorded<EvidenceItem> added = evidence.add(caller.actor(), caller.viewer(), body);
        return LogIndexed.created(location(added.value().id()), added, added.value(), added.value().version());
    }

    @GET
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Page<EvidenceItem> list(@Auth Caller caller, @QueryParam("sha256") String sha256, @QueryParam("page") String page,
                                   @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 50);
        Page<EvidenceItem> found = evidence.list(caller.viewer(), QueryParams.optionalDigest("sha256", sha256), paging.page(), paging.size());
        reads.evidenceViewed(caller, found.items().stream().map(item -> new ReadRecorder.EvidenceShown(item.id(), item.caseIds())).toList(), "list");
        return found;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Response get(@Auth Caller caller, @PathParam("id") UUID id) {
        EvidenceItem item = evidence.get(caller.viewer(), id);
        reads.evidenceViewed(caller, id, item.caseIds(), "record");
        return Response.ok(item).tag(ETags.of(item.version())).build();
    }

    @PATCH
    @Path("{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response edit(@Auth Caller caller, @PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                         @NotNull JsonNode patch) {
        long expectedVersion = ETags.requiredVersion(ifMatch);
        Recorded<EvidenceItem> edited = evidence.edit(caller.actor(), caller.viewer(), id, expectedVersion, patch);
        return LogIndexed.ok(edited, edited.value(), edited.value().version());
    }

    @POST
    @Path("{id}/cases")
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response link(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid EvidenceLink link) {
        return LogIndexed.noContent(evidence.link(caller.actor(), caller.viewer(), id, link.caseId()));
    }

    /** Takes the item off a case it was linked to by mistake; the body says why. */
    @DELETE
    @Path("{id}/cases/{caseId}")
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response unlink(@Auth Caller caller, @PathParam("id") UUID id, @PathParam("caseId") UUID caseId,
                           @NotNull @Valid Reason request) {
        return LogIndexed.noContent(evidence.unlink(caller.actor(), caller.viewer(), id, caseId, request.reason()));
    }

    @POST
    @Path("{id}/custody-events")
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response recordCustodyEvent(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid NewCustodyEvent request) {
        Recorded<CustodyEvent> recorded = evidence.recordCustodyEvent(caller.actor(), caller.viewer(), id, request);
        return LogIndexed.created(URI.create(location(id) + "/custody-events"), recorded);
    }

    @GET
    @Path("{id}/custody-events")
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Page<CustodyEvent> custodyEvents(@Auth Caller caller, @PathParam("id") UUID id, @QueryParam("page") String page,
                                            @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 100);
        EvidenceItem item = evidence.get(caller.viewer(), id);
        Page<CustodyEvent> events = evidence.custodyEvents(item, paging.page(), paging.size());
        reads.evidenceViewed(caller, id, item.caseIds(), "custody-events");
        return events;
    }

    private static URI location(UUID id) {
        return URI.create("/api/v1/evidence/" + id);
    }
}
