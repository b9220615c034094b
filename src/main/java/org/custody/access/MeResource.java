package org.custody.access;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;

/** A signed-in user's own account: who they are, their password and their second factor. */
@Path("/api/v1/users/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN_NAME, Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
public final class MeResource {
    private final OwnPassword ownPassword;
    private final SecondFactor secondFactor;
    private final Grants grants;
    private final InitialAdmin initialAdmin;

    public MeResource(OwnPassword ownPassword, SecondFactor secondFactor, Grants grants, InitialAdmin initialAdmin) {
        this.ownPassword = ownPassword;
        this.secondFactor = secondFactor;
        this.grants = grants;
        this.initialAdmin = initialAdmin;
    }

    /** The caller and what their session may do. */
    public record Me(User user, SessionScope sessionScope) {}

    public record PasswordChange(@NotNull @Size(max = 1024) String currentPassword, @NotNull @Size(max = 1024) String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[]";
        }
    }

    public record TotpConfirmation(@NotNull @Size(max = 16) String code) {}

    @GET
    @LimitedSession
    public Me get(@Auth Caller caller) {
        return new Me(caller.user(), caller.scope());
    }

    /** The cases granted to the caller and until when: a lawyer plans a submission before a grant runs out. */
    @GET
    @Path("grants")
    public List<CaseGrant> grants(@Auth Caller caller) {
        return grants.heldBy(caller.id());
    }

    /**
     * Changes the password; every session of the caller ends, so they sign in again with the new one. The initial
     * administrator's one-time password file goes with the password in it.
     */
    @PUT
    @Path("password")
    @LimitedSession
    public Response changePassword(@Auth Caller caller, @NotNull @Valid PasswordChange request) {
        Recorded<Void> changed = ownPassword.change(caller, request.currentPassword().toCharArray(), request.newPassword());
        initialAdmin.passwordChanged(caller.user());
        return LogIndexed.noContent(changed);
    }

    /** Starts enrolling an authenticator: the secret is shown this once. */
    @POST
    @Path("totp")
    @LimitedSession
    public Response beginTotp(@Auth Caller caller) {
        Recorded<SecondFactor.TotpEnrolment> enrolment = secondFactor.begin(caller);
        return LogIndexed.created(URI.create("/api/v1/users/me/totp"), enrolment);
    }

    /** Confirms the enrolment with a current code; every session of the caller ends and sign-in needs a code from now on. */
    @POST
    @Path("totp/confirmation")
    @LimitedSession
    public Response confirmTotp(@Auth Caller caller, @NotNull @Valid TotpConfirmation request) {
        return LogIndexed.noContent(secondFactor.confirm(caller, request.code()));
    }
}
