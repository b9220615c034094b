package org.custody.access;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;
import org.custody.web.Public;

/** Signing in and out. Signing in is public; signing out needs the session's token, whatever it may otherwise do. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SessionResource {
    private final Sessions sessions;

    public SessionResource(Sessions sessions) {
        this.sessions = sessions;
    }

    /** {@code totpCode}: the authenticator's current code, for users who enrolled one. */
    public record SignInRequest(@NotNull @Size(max = 64) String username, @NotNull @Size(max = 1024) String password,
                                @Size(max = 16) String totpCode) {
        @Override
        public String toString() {
            return "SignInRequest[username=" + username + "]";
        }
    }

    @POST
    @Public
    public Response signIn(@NotNull @Valid SignInRequest request, @Context HttpServletRequest http) {
        Recorded<Sessions.SignedIn> signedIn = sessions.signIn(request.username(), request.password().toCharArray(), request.totpCode(),
                http.getRemoteAddr());
        return LogIndexed.created(URI.create("/api/v1/sessions/current"), signedIn);
    }

    @DELETE
    @Path("current")
    @RolesAllowed({Role.ADMIN_NAME, Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    @LimitedSession
    public Response signOut(@Auth Caller caller) {
        return LogIndexed.noContent(sessions.signOut(caller));
    }
}
