package org.custody.cases;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.custody.access.Grants;
import org.custody.access.ReadRecorder;
import org.custody.access.Restriction;
import org.custody.access.Role;
import org.custody.common.MergePatch;
import org.custody.common.Page;
import org.custody.log.LogReader;
import org.custody.log.LogRecord;
import org.custody.log.Recorded;
import org.custody.web.ETags;
import org.custody.web.LogIndexed;
import org.custody.web.QueryParams;
import org.custody.web.QueryParams.Paging;

/** Cases: the detained person, their detention and proceedings, the status timeline and the case's log history. */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class CaseResource {
    private final Cases cases;
    private final LogReader logReader;
    private final Grants grants;
    private final ReadRecorder reads;

    public CaseResource(Cases cases, LogReader logReader, Grants grants, ReadRecorder reads) {
        this.cases = cases;
        this.logReader = logReader;
        this.grants = grants;
        this.reads = reads;
    }

    @POST
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response create(@Auth Caller caller, @NotNull @Valid CaseDetails details) {
        Recorded<CaseRecord> created = cases.create(caller.actor(), details);
        return LogIndexed.created(location(created.value().id()), created, created.value(), created.value().version());
    }

    @GET
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Page<CaseRecord> search(@Auth Caller caller, @QueryParam("status") String status, @QueryParam("category") String category,
                                   @QueryParam("q") String text, @QueryParam("page") String page, @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 50);
        Page<CaseRecord> found = cases.search(caller.viewer(), QueryParams.optionalEnum(CaseStatus.class, "status", status),
                QueryParams.optionalEnum(Category.class, "category", category), text, paging.page(), paging.size());
        reads.casesViewed(caller, found.items().stream().map(CaseRecord::id).toList(), "search");
        return found;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Response get(@Auth Caller caller, @PathParam("id") UUID id) {
        CaseRecord found = cases.get(caller.viewer(), id);
        reads.caseViewed(caller, id, "record");
        return Response.ok(found).tag(ETags.of(found.version())).build();
    }

    @PATCH
    @Path("{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response edit(@Auth Caller caller, @PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                         @NotNull JsonNode patch) {
        long expectedVersion = ETags.requiredVersion(ifMatch);
        Recorded<CaseRecord> edited = cases.edit(caller.actor(), caller.viewer(), id, expectedVersion, patch);
        return LogIndexed.ok(edited, edited.value(), edited.value().version());
    }

    @POST
    @Path("{id}/status-changes")
    @RolesAllowed(Role.CASE_WORKER_NAME)
    public Response changeStatus(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid NewStatusChange request) {
        Recorded<StatusChange> recorded = cases.changeStatus(caller.actor(), caller.viewer(), id, request);
        return LogIndexed.created(URI.create(location(id) + "/status-changes"), recorded);
    }

    @GET
    @Path("{id}/status-changes")
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Page<StatusChange> timeline(@Auth Caller caller, @PathParam("id") UUID id, @QueryParam("page") String page,
                                       @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 100);
        Page<StatusChange> timeline = cases.timeline(caller.viewer(), id, paging.page(), paging.size());
        reads.caseViewed(caller, id, "status-changes");
        return timeline;
    }

    @GET
    @Path("{id}/history")
    @RolesAllowed({Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Page<LogRecord> history(@Auth Caller caller, @PathParam("id") UUID id,
                                   @QueryParam("page") String page, @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 50);
        cases.get(caller.viewer(), id);
        Page<LogRecord> history = logReader.caseHistory(id, paging.page(), paging.size());
        reads.caseViewed(caller, id, "history");
        return history;
    }

    /** Marks the case restricted or not (administrators decide who sees what; the case's content stays hidden from them). */
    @PUT
    @Path("{id}/restriction")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response restrict(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid Restriction request) {
        return LogIndexed.ok(grants.restrict(caller.actor(), id, request));
    }

    /** Who read the case or its evidence, and who was given or lost access to it, newest first. */
    @GET
    @Path("{id}/access-log")
    @RolesAllowed(Role.ADMIN_NAME)
    public Page<LogRecord> accessLog(@Auth Caller caller, @PathParam("id") UUID id, @QueryParam("page") String page,
                                     @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 50);
        grants.list(id);
        return logReader.accessLog(id, paging.page(), paging.size());
    }

    private static URI location(UUID id) {
        return URI.create("/api/v1/cases/" + id);
    }
}
