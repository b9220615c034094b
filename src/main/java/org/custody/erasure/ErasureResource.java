package org.custody.erasure;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.Role;
import org.custody.web.LogIndexed;

/**
 * Erasing a case by law: one administrator proposes it, another approves the proposal. It destroys case content, so
 * each step takes an administrator who may also edit the case (the CASE_WORKER role and sight of the case): managing
 * access alone does not reach case content, and erasing it least of all.
 */
@Path("/api/v1/cases/{caseId}/erasure")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class ErasureResource {
    private final Erasures erasures;

    public ErasureResource(Erasures erasures) {
        this.erasures = erasures;
    }

    /** Proposes the erasure: 202, nothing erased until another administrator approves it. */
    @POST
    public Response propose(@Auth Caller caller, @PathParam("caseId") UUID caseId, @NotNull @Valid ErasureRequest request) {
        requireCaseWorker(caller);
        return LogIndexed.accepted(erasures.propose(caller.actor(), caller.viewer(), caseId, request));
    }

    @GET
    public ErasureProposal pending(@Auth Caller caller, @PathParam("caseId") UUID caseId) {
        requireCaseWorker(caller);
        return erasures.pending(caller.viewer(), caseId, caller.at());
    }

    @DELETE
    public Response withdraw(@Auth Caller caller, @PathParam("caseId") UUID caseId) {
        requireCaseWorker(caller);
        return LogIndexed.noContent(erasures.withdraw(caller.actor(), caller.viewer(), caseId));
    }

    /** Approves the proposal named and erases the case. */
    @POST
    @Path("approval")
    public Response approve(@Auth Caller caller, @PathParam("caseId") UUID caseId, @NotNull @Valid ErasureApproval approval) {
        requireCaseWorker(caller);
        return LogIndexed.ok(erasures.approve(caller.actor(), caller.viewer(), caseId, approval.proposal()));
    }

    /** Erasure reaches case content: an administrator who may also edit cases, whatever their administration role allows. */
    static void requireCaseWorker(Caller caller) {
        if (!caller.user().hasRole(Role.CASE_WORKER)) {
            throw new ForbiddenException();
        }
    }
}
