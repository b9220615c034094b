package org.custody.access;

import io.dropwizard.auth.Auth;
import org.custody.web.Public;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;

/** Signing in and out. Signing in is public; everything else needs a bearer token. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SessionResource {
    private final Sessions sessions;

    public SessionResource(Sessions sessions) {
        this.sessions = sessions;
    }

    public record SignInRequest(@NotNull @Size(max = 64) String username, @NotNull @Size(max = 1024) String password) {
        @Override
        public String toString() {
            return "SignInRequest[username=" + username + "]";
        }
    }

    @POST
    @Public
    public Response signIn(@NotNull @Valid SignInRequest request) {
        Recorded<Sessions.SignedIn> signedIn = sessions.signIn(request.username(), request.password().toCharArray());
        return LogIndexed.created(URI.create("/api/v1/sessions/current"), signedIn);
    }

    @DELETE
    @Path("current")
    @RolesAllowed({Role.ADMIN_NAME, Role.CASE_WORKER_NAME, Role.LAWYER_NAME})
    public Response signOut(@Auth Caller caller) {
        return LogIndexed.noContent(sessions.signOut(caller));
    }
}
