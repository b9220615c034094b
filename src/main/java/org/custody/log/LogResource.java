package org.custody.log;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.custody.access.Caller;
import org.custody.access.Role;
import org.custody.common.NotFoundException;
import org.custody.log.tree.TilePath;
import org.custody.web.Public;
import org.custody.web.QueryParams;

/**
 * The log's public face: checkpoints, keys, consistency proofs and hash tiles for anyone; inclusion proofs and the entries
 * themselves for administrators (entries name staff), with the payloads that describe detainees only for an
 * administrator who may read those cases ({@link PayloadAccess}).
 */
@Path("/api/v1/log")
@Produces(MediaType.APPLICATION_JSON)
public final class LogResource {
    private static final int MAX_ENTRIES = 1_000;

    private final LogProofs proofs;
    private final LogReader reader;
    private final PayloadAccess payloads;

    public LogResource(LogProofs proofs, LogReader reader, PayloadAccess payloads) {
        this.proofs = proofs;
        this.reader = reader;
        this.payloads = payloads;
    }

    @GET
    @Path("checkpoint")
    @Public
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    public String checkpoint() {
        return proofs.latestCheckpoint();
    }

    @GET
    @Path("checkpoints/{size}")
    @Public
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    public String checkpoint(@PathParam("size") String size) {
        return proofs.checkpoint(QueryParams.longValue("size", size, 1, Long.MAX_VALUE));
    }

    @GET
    @Path("keys")
    @Public
    public List<LogProofs.KeyView> keys() {
        return proofs.keys();
    }

    /**
     * A hash tile at its c2sp.org/tlog-tiles path below this resource ({@code tile/<L>/<N>[.p/<W>]}), for tlog clients
     * that compute their own proofs. Public like the consistency proofs, which give away the same hashes. The entries
     * themselves are served to administrators only ({@link #entryBundle}): they name staff.
     */
    @Timed
    @GET
    @Path("tile/{level}/{index: .+}")
    @Public
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response tile(@PathParam("level") String level, @PathParam("index") String index) {
        TilePath tile = TilePath.parse(level, index).orElseThrow(() -> new NotFoundException("Tile"));
        // a tile's hashes never change once the log has them (c2sp.org/tlog-tiles: "this endpoint is immutable")
        return Response.ok(proofs.tile(tile)).header(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable").build();
    }

    /**
     * An entry bundle at its c2sp.org/tlog-tiles path ({@code tile/entries/<N>[.p/<W>]}): the entries whose leaf hashes
     * tile {@code tile/0/<N>} holds, for an administrator's tlog client that checks the whole log. ADMIN like
     * {@code /entries}, since entries name staff, and never cached.
     */
    @GET
    @Path("tile/entries/{index: .+}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public byte[] entryBundle(@Auth Caller caller, @PathParam("index") String index) {
        return reader.entryBundle(TilePath.parseEntryBundle(index).orElseThrow(() -> new NotFoundException("Entry bundle")));
    }

    @Timed
    @GET
    @Path("proofs/consistency")
    @Public
    public LogProofs.ConsistencyProof consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        return proofs.consistency(QueryParams.longValue("from", from, 1, Long.MAX_VALUE), QueryParams.longValue("to", to, 1, Long.MAX_VALUE));
    }

    @Timed
    @GET
    @Path("proofs/inclusion")
    @RolesAllowed(Role.ADMIN_NAME)
    public LogProofs.InclusionProof inclusion(@Auth Caller caller, @QueryParam("index") String index, @QueryParam("treeSize") String treeSize) {
        return proofs.inclusion(QueryParams.longValue("index", index, 0, Long.MAX_VALUE), QueryParams.longValue("treeSize", treeSize, 1, Long.MAX_VALUE));
    }

    @GET
    @Path("entries")
    @RolesAllowed(Role.ADMIN_NAME)
    public List<LogRecord> entries(@Auth Caller caller, @QueryParam("from") String from, @QueryParam("limit") String limit) {
        long first = from == null || from.isEmpty() ? 0 : QueryParams.longValue("from", from, 0, Long.MAX_VALUE);
        return payloads.shownTo(caller.viewer(), reader.entriesFrom(first, QueryParams.integer("limit", limit, 100, 1, MAX_ENTRIES)));
    }

    @GET
    @Path("entries/{index}")
    @RolesAllowed(Role.ADMIN_NAME)
    public LogRecord entry(@Auth Caller caller, @PathParam("index") String index) {
        return payloads.shownTo(caller.viewer(), reader.entry(QueryParams.longValue("index", index, 0, Long.MAX_VALUE)));
    }
}
