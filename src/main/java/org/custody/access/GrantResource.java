package org.custody.access;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.custody.common.Reason;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;

/** Administrators grant users sight of one case, optionally until an instant, and take it back. None of this shows the case's content. */
@Path("/api/v1/cases/{caseId}/grants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class GrantResource {
    private final Grants grants;

    public GrantResource(Grants grants) {
        this.grants = grants;
    }

    @GET
    public List<CaseGrant> list(@Auth Caller caller, @PathParam("caseId") UUID caseId) {
        return grants.list(caseId);
    }

    @POST
    public Response grant(@Auth Caller caller, @PathParam("caseId") UUID caseId, @NotNull @Valid NewGrant request) {
        Recorded<CaseGrant> granted = grants.grant(caller.actor(), caseId, request);
        return LogIndexed.created(URI.create("/api/v1/cases/" + caseId + "/grants/" + request.userId()), granted);
    }

    /** Takes a grant back; a body {@code {"reason": ...}} may say why. */
    @DELETE
    @Path("{userId}")
    public Response revoke(@Auth Caller caller, @PathParam("caseId") UUID caseId, @PathParam("userId") UUID userId,
                           @Valid Reason request) {
        return LogIndexed.noContent(grants.revoke(caller.actor(), caseId, userId, request == null ? null : request.reason()));
    }
}
