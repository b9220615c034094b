package org.custody.access;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.custody.common.MergePatch;
import org.custody.common.Page;
import org.custody.log.LogReader;
import org.custody.log.PayloadAccess;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;
import org.custody.web.QueryParams;
import org.custody.web.QueryParams.Paging;

/** User administration, for administrators only. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class UserResource {
    private final Users users;
    private final Sessions sessions;
    private final SecondFactor secondFactor;
    private final Grants grants;
    private final LogReader log;
    private final PayloadAccess payloads;

    public UserResource(Users users, Sessions sessions, SecondFactor secondFactor, Grants grants, LogReader log, PayloadAccess payloads) {
        this.users = users;
        this.sessions = sessions;
        this.secondFactor = secondFactor;
        this.grants = grants;
        this.log = log;
        this.payloads = payloads;
    }

    @POST
    public Response create(@Auth Caller caller, @NotNull @Valid NewUser request) {
        Recorded<User> created = users.create(caller.actor(), request);
        return LogIndexed.created(URI.create("/api/v1/users/" + created.value().id()), created);
    }

    /** The users by user name, a page at a time (100 unless {@code size} says otherwise, at most 200). */
    @GET
    public Page<User> list(@Auth Caller caller, @QueryParam("page") String page, @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 100);
        return users.list(paging.page(), paging.size());
    }

    /**
     * The active users whose password is still a one-time one, and when each expires: accounts nobody has taken up, and
     * resets not yet used.
     */
    @GET
    @Path("one-time-passwords")
    public List<UnusedOneTimePassword> unusedOneTimePasswords(@Auth Caller caller) {
        return users.unusedOneTimePasswords();
    }

    @GET
    @Path("{id}")
    public User get(@Auth Caller caller, @PathParam("id") UUID id) {
        return users.get(id);
    }

    /** The cases the user was granted, one grant per case, expired ones included until taken back. */
    @GET
    @Path("{id}/grants")
    public List<CaseGrant> grants(@Auth Caller caller, @PathParam("id") UUID id) {
        users.get(id);
        return grants.heldBy(id);
    }

    /**
     * What the user did, as the log recorded it, newest first: every entry their actions wrote before index
     * {@code before} (default: the whole log), looked through at most {@link LogReader#ACTIVITY_WINDOW} entries a
     * request; {@code next} continues further back.
     */
    @GET
    @Path("{id}/activity")
    public LogReader.Activity activity(@Auth Caller caller, @PathParam("id") UUID id, @QueryParam("before") String before,
                                       @QueryParam("limit") String limit) {
        users.get(id);
        long until = before == null || before.isEmpty() ? Long.MAX_VALUE : QueryParams.longValue("before", before, 0, Long.MAX_VALUE);
        LogReader.Activity found = log.activity(id, until, QueryParams.integer("limit", limit, 100, 1, 1_000));
        return new LogReader.Activity(payloads.shownTo(caller.viewer(), found.items()), found.from(), found.to(), found.next());
    }

    /** Display name, roles, active: deactivating ends every session of the user in the same change. */
    @PATCH
    @Path("{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response update(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid UserPatch patch) {
        Recorded<User> updated = users.update(caller.actor(), id, patch);
        return LogIndexed.ok(updated);
    }

    @POST
    @Path("{id}/password-reset")
    public Response resetPassword(@Auth Caller caller, @PathParam("id") UUID id) {
        return LogIndexed.created(URI.create("/api/v1/users/" + id), users.resetPassword(caller.actor(), id));
    }

    @GET
    @Path("{id}/sessions")
    public List<SessionInfo> sessions(@Auth Caller caller, @PathParam("id") UUID id) {
        return sessions.sessions(id);
    }

    @DELETE
    @Path("{id}/sessions/{sessionId}")
    public Response revokeSession(@Auth Caller caller, @PathParam("id") UUID id, @PathParam("sessionId") UUID sessionId) {
        return LogIndexed.noContent(sessions.revoke(caller.actor(), id, sessionId));
    }

    /** Removes the user's second factor (a lost phone): they enrol again at their next sign-in. */
    @DELETE
    @Path("{id}/totp")
    public Response resetTotp(@Auth Caller caller, @PathParam("id") UUID id) {
        return LogIndexed.noContent(secondFactor.reset(caller.actor(), id));
    }
}
