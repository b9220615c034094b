package org.custody.export;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.Role;
import org.custody.common.Page;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;
import org.custody.web.QueryParams.Paging;

/** Exports for proceedings: requested by lawyers and case workers for cases they may see, downloaded as verifiable bundles. */
@Path("/api/v1/exports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ExportResource {
    public static final String ZIP = "application/zip";

    private final Exports exports;

    public ExportResource(Exports exports) {
        this.exports = exports;
    }

    @Timed
    @POST
    @RolesAllowed({Role.LAWYER_NAME, Role.CASE_WORKER_NAME})
    public Response create(@Auth Caller caller, @NotNull @Valid ExportRequest request) {
        Recorded<ExportRecord> created = exports.create(caller, request);
        return LogIndexed.created(URI.create("/api/v1/exports/" + created.value().id()), created);
    }

    @GET
    @RolesAllowed({Role.LAWYER_NAME, Role.CASE_WORKER_NAME, Role.ADMIN_NAME})
    public Page<ExportRecord> list(@Auth Caller caller, @QueryParam("page") String page, @QueryParam("size") String size) {
        Paging paging = Paging.of(page, size, 50);
        return exports.list(caller, paging.page(), paging.size());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.LAWYER_NAME, Role.CASE_WORKER_NAME, Role.ADMIN_NAME})
    public ExportRecord get(@Auth Caller caller, @PathParam("id") UUID id) {
        return exports.get(caller, id);
    }

    /**
     * The bundle, streamed as it is built; the download is in the log before the first byte is sent. Only so many are
     * built at once ({@code exports.concurrentBundles}); a download that waited too long for its turn is refused with
     * 503 and recorded nowhere.
     */
    @Timed
    @GET
    @Path("{id}/bundle")
    @Produces({ZIP, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.LAWYER_NAME, Role.CASE_WORKER_NAME})
    public Response bundle(@Auth Caller caller, @PathParam("id") UUID id) {
        Exports.Download download = exports.download(caller, id);
        try {
            return Response.ok((StreamingOutput) download::writeTo, ZIP)
                    .header("Content-Disposition", attachment(download.fileName()))
                    .header(LogIndexed.HEADER, download.logIndex())
                    .build();
        } catch (RuntimeException e) {
            download.close(); // the bundle will not be written: its turn goes to the next download
            throw e;
        }
    }

    /** What a GET of the bundle would answer, without the bundle: nothing is downloaded, so nothing is recorded. */
    @HEAD
    @Path("{id}/bundle")
    @Produces({ZIP, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.LAWYER_NAME, Role.CASE_WORKER_NAME})
    public Response bundleHead(@Auth Caller caller, @PathParam("id") UUID id) {
        return Response.ok().type(ZIP).header("Content-Disposition", attachment(exports.bundleFileName(caller, id))).build();
    }

    private static String attachment(String fileName) {
        return "attachment; filename=\"" + fileName + "\"";
    }
}
