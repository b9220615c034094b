package org.custody.erasure;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Erasing a case by law: proposed by one administrator, approved by another within the window. */
public class ErasureSettings {
    /** How long a proposed erasure can be approved; after it, it has to be proposed again. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration approvalWindow = Duration.days(7);

    public Duration getApprovalWindow() {
        return approvalWindow;
    }
}
