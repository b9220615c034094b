package org.custody.erasure;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.custody.access.Caller;
import org.custody.access.Role;
import org.custody.common.Page;
import org.custody.web.QueryParams.Paging;

/**
 * The erasures waiting for a second administrator: without it, a proposal would wait until its proposer told someone
 * the case's id. Only the cases the caller may see, under the same roles as the erasure itself.
 */
@Path("/api/v1/erasure-proposals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class PendingErasureResource {
    private final Erasures erasures;

    public PendingErasureResource(Erasures erasures) {
        this.erasures = erasures;
    }

    @GET
    public Page<PendingErasure> list(@Auth Caller caller, @QueryParam("page") String page, @QueryParam("size") String size) {
        ErasureResource.requireCaseWorker(caller);
        Paging paging = Paging.of(page, size, 50);
        return erasures.awaitingApproval(caller.viewer(), caller.at(), paging.page(), paging.size());
    }
}
