package org.custody.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.custody.access.InvalidCredentialsException;
import org.custody.access.OneTimePasswordExpiredException;
import org.custody.access.SessionScopeException;
import org.custody.cases.ForbiddenTransitionException;
import org.custody.common.ConflictException;
import org.custody.common.DomainException;
import org.custody.common.Failures;
import org.custody.common.InvalidInputException;
import org.custody.common.InvalidInputException.FieldError;
import org.custody.common.NotFoundException;
import org.custody.common.ServiceUnavailableException;
import org.custody.common.StaleVersionException;
import org.custody.common.TooManyRequestsException;
import org.custody.common.Validation;
import org.custody.erasure.SecondPersonRequiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every exception becomes one problem+json response here, and nowhere else. */
public final class ProblemMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMappers.class);

    private ProblemMappers() {}

    public static List<Object> all() {
        return List.of(new Domain(), new Json(), new Violations(), new WebApplication(), new BodyRefused(),
                new PreconditionRequired(), new Unavailable(), new Unexpected());
    }

    /** The domain's refusals, one status per kind. */
    public static final class Domain implements ExceptionMapper<DomainException> {
        @Override
        public Response toResponse(DomainException e) {
            Problem problem;
            if (e instanceof InvalidInputException invalid) {
                problem = new Problem("/problems/invalid-input", "Invalid input", invalid.isMalformed() ? 400 : 422, e.getMessage(),
                        invalid.errors(), null);
            } else if (e instanceof NotFoundException) {
                problem = Problem.of("not-found", "Not found", 404, e.getMessage());
            } else if (e instanceof StaleVersionException) {
                problem = Problem.of("stale-version", "Precondition failed", 412, e.getMessage());
            } else if (e instanceof ForbiddenTransitionException forbidden) {
                problem = new Problem("/problems/forbidden-transition", "Status change not allowed", 409, e.getMessage(), null,
                        forbidden.allowed().stream().map(Enum::name).toList());
            } else if (e instanceof ConflictException) {
                problem = Problem.of("conflict", "Conflict", 409, e.getMessage());
            } else if (e instanceof TooManyRequestsException throttled) {
                return Problem.of(throttled.kind(), "Too many requests", 429, e.getMessage()).response()
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds())).build();
            } else if (e instanceof SecondPersonRequiredException) {
                problem = Problem.of("second-person-required", "Forbidden", 403, e.getMessage());
            } else if (e instanceof SessionScopeException) {
                problem = Problem.of("session-scope", "Forbidden", 403, e.getMessage());
            } else if (e instanceof OneTimePasswordExpiredException) {
                return unauthorized("one-time-password-expired", e);
            } else if (e instanceof InvalidCredentialsException) {
                return unauthorized("invalid-credentials", e);
            } else {
                problem = Problem.of("refused", "Request refused", 400, e.getMessage());
            }
            return problem.response().build();
        }

        private static Response unauthorized(String type, DomainException e) {
            return Problem.of(type, "Unauthorized", 401, e.getMessage()).response()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"custody\"").build();
        }
    }

    /** Bodies that are not JSON, or JSON of the wrong shape: the field and what is wrong, never the parser's text. */
    public static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            // Jackson wraps what happens while reading a property, so look through the causes first.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BodyRefusedException refused) {
                    return new BodyRefused().toResponse(refused);
                }
                if (cause instanceof JsonParseException || cause instanceof java.io.CharConversionException) {
                    return malformed(cause instanceof JsonProcessingException parse ? parse : e);
                }
            }
            if (e instanceof StreamConstraintsException) {
                return Problem.of("malformed-json", "Malformed JSON", 400, "The JSON body exceeds a size or nesting limit").response().build();
            }
            FieldError error = new FieldError(Validation.describePath(e), Validation.describeProblem(e));
            return new Problem("/problems/invalid-input", "Invalid input", 400, "The body does not have the expected shape",
                    List.of(error), null).response().build();
        }

        private static Response malformed(JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "The body names a field twice in one object, so its meaning is ambiguous"
                    : "The body is not valid JSON (or not valid UTF-8)";
            return Problem.of("malformed-json", "Malformed JSON", 400, what + where).response().build();
        }
    }

    /** Bean Validation failures on request bodies and parameters, with JSON field paths. */
    public static final class Violations implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<FieldError> errors = e.getConstraintViolations().stream()
                    .map(v -> new FieldError(fieldPath(v), v.getMessage()))
                    .sorted(Comparator.comparing(FieldError::field))
                    .toList();
            return new Problem("/problems/invalid-input", "Invalid input", 422, "The request has " + errors.size() + " invalid field(s)",
                    errors, null).response().build();
        }

        /** The path after the method parameter, for example {@code person.fullName}; {@code body} for the body itself. */
        private static String fieldPath(ConstraintViolation<?> violation) {
            StringBuilder path = new StringBuilder();
            boolean afterParameter = false;
            for (Path.Node node : violation.getPropertyPath()) {
                if (node.getKind() == ElementKind.PARAMETER || node.getKind() == ElementKind.RETURN_VALUE) {
                    afterParameter = true;
                    continue;
                }
                if (!afterParameter || node.getKind() == ElementKind.METHOD) {
                    continue;
                }
                if (node.getName() != null && node.getKind() == ElementKind.PROPERTY) {
                    if (path.length() > 0) path.append('.');
                    path.append(node.getName());
                }
                if (node.getIndex() != null) {
                    path.append('[').append(node.getIndex()).append(']');
                }
            }
            return path.length() == 0 ? "body" : path.toString();
        }
    }

    /** Jersey's own refusals (404 route, 405, 415, 406, 401/403 from the auth filters), with their headers kept. */
    public static final class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            if (status >= 500) {
                return new Unexpected().toResponse(e);
            }
            String title = original.getStatusInfo().getReasonPhrase();
            String detail = switch (status) {
                case 401 -> "Sign in and send the token as 'Authorization: Bearer <token>'";
                case 403 -> "Your roles do not allow this request";
                case 404 -> "No such resource";
                case 405 -> "This method is not allowed on this resource";
                case 406 -> "This resource cannot answer in the media type asked for";
                case 415 -> "This media type is not accepted here; send application/json";
                default -> title;
            };
            Response.ResponseBuilder builder = Problem.of(title.toLowerCase().replace(' ', '-'), title, status, detail).response();
            original.getStringHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                    values.forEach(value -> builder.header(name, value));
                }
            });
            return builder.build();
        }
    }

    public static final class BodyRefused implements ExceptionMapper<BodyRefusedException> {
        @Override
        public Response toResponse(BodyRefusedException e) {
            Response.ResponseBuilder response = e.problem().response();
            e.headers().forEach(response::header);
            // the rest of the body is still on its way, or will never come: tell the client this connection ends here
            return (e.drained() ? response : response.header("Connection", "close")).build();
        }
    }

    public static final class PreconditionRequired implements ExceptionMapper<ETags.PreconditionRequiredException> {
        @Override
        public Response toResponse(ETags.PreconditionRequiredException e) {
            return Problem.of("precondition-required", "Precondition required", 428, e.getMessage()).response().build();
        }
    }

    public static final class Unavailable implements ExceptionMapper<ServiceUnavailableException> {
        @Override
        public Response toResponse(ServiceUnavailableException e) {
            return Problem.of("unavailable", "Service unavailable", 503, e.getMessage()).response()
                    .header(HttpHeaders.RETRY_AFTER, "1").build();
        }
    }

    /**
     * Jetty decodes a body sent with {@code Content-Encoding: gzip} as it is read, and reports data that is not gzip as
     * a bare RuntimeException around the inflater's error, which reached here as a bug (500).
     */
    private static boolean undecodableBody(Throwable e) {
        return Failures.anyCause(e, cause -> cause instanceof java.util.zip.ZipException || cause instanceof java.util.zip.DataFormatException);
    }

    /** A bug. The caller gets an id to quote; the log gets the failure without any message text. */
    public static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (Failures.databaseUnavailable(e)) {
                LOG.warn("Database unavailable: {}", Failures.describe(e));
                return new Unavailable().toResponse(new ServiceUnavailableException("The database is unavailable; try again shortly", e));
            }
            if (Failures.privilegeMissing(e)) {
                LOG.error("The database refused the service's role a privilege: run migrations/postgres-service-role.sql as the schema's owner. {}",
                        Failures.describe(e));
                return Problem.of("unavailable", "Service unavailable", 503,
                        "The service may not make this change in its database at present; its operator has been told").response().build();
            }
            if (undecodableBody(e)) {
                return Problem.of("malformed-body", "Malformed body", 400,
                        "The body cannot be decoded as its Content-Encoding says (it is not gzip data)").response().build();
            }
            String id = UUID.randomUUID().toString();
            LOG.error("Unexpected failure {}: {}", id, Failures.describe(e));
            return Problem.of("internal", "Internal error", 500, "The request failed unexpectedly; quote error id " + id)
                    .response().build();
        }
    }
}
