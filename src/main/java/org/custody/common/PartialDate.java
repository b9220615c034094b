package org.custody.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.regex.Pattern;

/**
 * A date of the past as it is usually known in this field: to the year ({@code 2020}), the month
 * ({@code 2020-10}) or the day ({@code 2020-10-27}), as in ISO 8601 reduced precision, and possibly
 * approximate. In JSON it is {@code {"date":"2020-10","approximate":true}}; without {@code approximate}, or as a bare
 * string, it is an exact date.
 */
public record PartialDate(String date, boolean approximate) {
    private static final Pattern FORM = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2})?)?");

    public PartialDate {
        if (date == null || !FORM.matcher(date).matches()) {
            throw new IllegalArgumentException("date must be YYYY, YYYY-MM or YYYY-MM-DD");
        }
        try {
            earliest(date);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("date " + date + " does not exist in the calendar");
        }
        if (date.startsWith("0")) {
            throw new IllegalArgumentException("year must be 1000 or later");
        }
    }

    /**
     * The object form. {@code approximate} is optional, as the published schema says; a primitive parameter here made
     * the strict mapper refuse {@code {"date":"1999"}} as if {@code approximate} had the wrong type.
     */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static PartialDate of(@JsonProperty("date") String date, @JsonProperty("approximate") Boolean approximate) {
        return new PartialDate(date, Boolean.TRUE.equals(approximate));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PartialDate exact(String date) {
        return new PartialDate(date, false);
    }

    /** The first day the date can mean: a future one cannot describe something that happened. */
    public LocalDate earliestDay() {
        return earliest(date);
    }

    public boolean isAfter(LocalDate day) {
        return earliestDay().isAfter(day);
    }

    private static LocalDate earliest(String date) {
        return switch (date.length()) {
            case 4 -> LocalDate.of(Integer.parseInt(date), 1, 1);
            case 7 -> YearMonth.parse(date).atDay(1);
            default -> LocalDate.parse(date);
        };
    }
}
