package org.custody.export;

import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.custody.access.Caller;
import org.custody.access.Role;
import org.custody.common.Page;
import org.custody.log.Recorded;
import org.custody.web.LogIndexed;
import org.custody.web.QueryParams.Paging;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.glassfish.jersey.server.CloseableService;

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
     * 503 and recorded nowhere. A bundle that cannot be written whole (the client went away, or read too slowly) ends
     * the connection without the response's end, so that the client sees a download that failed, not a short bundle.
     */
    @Timed
    @GET
    @Path("{id}/bundle")
    @Produces({ZIP, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.LAWYER_NAME, Role.CASE_WORKER_NAME})
    public Response bundle(@Auth Caller caller, @PathParam("id") UUID id, @Context HttpServletRequest request, @Context CloseableService closing) {
        Exports.Download download = exports.download(caller, id);
        closing.add(download); // its turn goes back when the request is over, whatever became of the response
        StreamingOutput bundle = out -> {
            try {
                download.writeTo(out);
            } catch (Exports.Unfinished e) {
                // the client's doing, and noted: once the connection is aborted, nothing for Jersey to report as an error
                if (!abort(request, e)) {
                    throw e;
                }
            } catch (IOException | RuntimeException | Error e) {
                abort(request, e);
                throw e;
            }
        };
        return Response.ok(bundle, ZIP)
                .header("Content-Disposition", attachment(download.fileName()))
                .header(LogIndexed.HEADER, download.logIndex())
                .build();
    }

    /**
     * Ends the connection mid-response. Completing it instead (what Jersey does once the body's writer has thrown, after
     * logging an error) would end a chunked body properly, and the client would take the part it has for the whole.
     */
    private static boolean abort(HttpServletRequest request, Throwable failure) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null) {
            return false; // not Jetty: the exception, thrown on, is all there is to stop the response
        }
        jetty.getServletChannel().abort(failure);
        return true;
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
