package org.custody.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.custody.common.InvalidInputException.FieldError;
import org.custody.common.PartialDate;
import org.custody.common.PlainText;
import org.custody.common.Sha256Digest;

/**
 * A reference to a piece of evidence: the service keeps where the original is preserved and its SHA-256,
 * never the media itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvidenceDetails(
        @NotNull EvidenceKind kind,
        @NotBlank @Size(max = 500) @PlainText.OneLine String title,
        @Size(max = 20_000) @PlainText.Lines String description,
        @Size(max = 2_000) String sourceUrl,
        @Size(max = 1_000) @PlainText.OneLine String archiveLocator,
        Sha256Digest sha256,
        @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+", message = "must be a media type such as video/mp4") String mediaType,
        @PositiveOrZero @Max(9_007_199_254_740_991L) Long sizeBytes,
        PartialDate capturedAt,
        PartialDate obtainedAt,
        @Size(max = 500) @PlainText.OneLine String obtainedFrom,
        VerificationStatus verificationStatus) {

    /**
     * A LIKE pattern for the stored details (RFC 8785 JSON of this record) whose member {@code name} is the text
     * {@code value}, for the queries that select by a digest or a status without parsing each row. In that form the
     * member reads exactly {@code "name":"value"}, and a quote inside a text value is always escaped, so a description
     * that quotes such a member cannot match. {@code value} must hold no LIKE wildcard or backslash (a digest's hex
     * digits, an enum's name); no member nested in the record bears the names asked for.
     */
    public static String storedMemberPattern(String name, String value) {
        return "%\"" + name + "\":\"" + value + "\"%";
    }

    public EvidenceDetails {
        verificationStatus = verificationStatus == null ? VerificationStatus.UNVERIFIED : verificationStatus;
    }

    /** Rules across fields and against today's date; empty when the details are acceptable. */
    public List<FieldError> problems(LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        if (sha256 == null && kind != EvidenceKind.TESTIMONY) {
            errors.add(new FieldError("sha256", "is required for " + kind + " (only testimony may lack it)"));
        }
        if (sourceUrl != null && !isWebUrl(sourceUrl)) {
            errors.add(new FieldError("sourceUrl", "must be an absolute http or https URL"));
        }
        if (capturedAt != null && capturedAt.isAfter(today)) {
            errors.add(new FieldError("capturedAt", "must not be in the future"));
        }
        if (obtainedAt != null && obtainedAt.isAfter(today)) {
            errors.add(new FieldError("obtainedAt", "must not be in the future"));
        }
        return errors;
    }

    private static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
