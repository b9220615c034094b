package org.custody.access;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;

/** User administration, for administrators only. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class UserResource {
    private final Users users;

    public UserResource(Users users) {
        this.users = users;
    }

    @POST
    public Response create(@Auth Caller caller, @NotNull @Valid NewUser request) {
        Recorded<User> created = users.create(caller.actor(), request);
        return LogIndexed.created(URI.create("/api/v1/users/" + created.value().id()), created);
    }

    @GET
    public List<User> list(@Auth Caller caller) {
        return users.list();
    }

    @GET
    @Path("{id}")
    public User get(@Auth Caller caller, @PathParam("id") UUID id) {
        return users.get(id);
    }
}
