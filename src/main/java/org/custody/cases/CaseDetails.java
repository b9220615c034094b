package org.custody.cases;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.custody.common.InvalidInputException.FieldError;
import org.custody.common.PartialDate;
import org.custody.common.PlainText;

/**
 * What a case says about the person and their detention: everything a case worker edits. Stored as canonical
 * JSON and changed with JSON merge patches, so adding a field needs no migration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseDetails(
        @NotNull @Valid Person person,
        @NotNull Category category,
        @Valid Military military,
        @Valid Detention detention,
        @Valid Proceedings proceedings,
        @Size(max = 20_000) @PlainText.Lines String summary) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Person(
            @NotBlank @Size(max = 300) @PlainText.OneLine String fullName,
            @Size(max = 300) @PlainText.OneLine String originalScriptName,
            @Size(max = 50) List<@NotBlank @Size(max = 300) @PlainText.OneLine String> otherNames,
            Sex sex,
            PartialDate birthDate,
            @Size(max = 100) @PlainText.OneLine String nationality,
            @Size(max = 300) @PlainText.OneLine String placeOfOrigin) {
        public Person {
            otherNames = unmodifiable(otherNames);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Military(@Size(max = 300) @PlainText.OneLine String unit, @Size(max = 100) @PlainText.OneLine String rank,
                           @Size(max = 100) @PlainText.OneLine String serviceNumber) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detention(
            PartialDate capturedOn,
            @Size(max = 500) @PlainText.OneLine String placeOfCapture,
            @Size(max = 10_000) @PlainText.Lines String circumstances,
            @Size(max = 300) @PlainText.OneLine String detainingAuthority,
            @Size(max = 50) List<@NotBlank @Size(max = 500) @PlainText.OneLine String> placesOfDetention,
            PartialDate lastProofOfLife,
            @Size(max = 1_000) @PlainText.Lines String lastKnownWhereabouts) {
        public Detention {
            placesOfDetention = unmodifiable(placesOfDetention);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Proceedings(
            @Size(max = 5_000) @PlainText.Lines String charges,
            @Size(max = 300) @PlainText.OneLine String court,
            @Size(max = 100) @PlainText.OneLine String courtCaseNumber,
            @Size(max = 100) List<@NotNull PartialDate> hearingDates,
            @Size(max = 2_000) @PlainText.Lines String sentence) {
        public Proceedings {
            hearingDates = unmodifiable(hearingDates);
        }
    }

    /**
     * The list as given, unmodifiable, or an empty one: null elements are kept (where {@code List.copyOf} would throw)
     * so that validation names the element, as {@code person.otherNames[1]}.
     */
    private static <T> List<T> unmodifiable(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** Dates of the past that lie after {@code today}. Hearing dates may be in the future: they are scheduled. */
    public List<FieldError> futureDates(LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        future(person.birthDate(), "person.birthDate", today, errors);
        if (detention != null) {
            future(detention.capturedOn(), "detention.capturedOn", today, errors);
            future(detention.lastProofOfLife(), "detention.lastProofOfLife", today, errors);
        }
        return errors;
    }

    static void future(PartialDate date, String field, LocalDate today, List<FieldError> errors) {
        if (date != null && date.isAfter(today)) {
            errors.add(new FieldError(field, "must not be in the future"));
        }
    }
}
