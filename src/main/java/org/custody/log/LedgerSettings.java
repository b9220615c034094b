package org.custody.log;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** How the ledger groups writes into batches. */
public class LedgerSettings {
    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int queueCapacity = 10_000;

    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int maxBatch = 256;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration submitTimeout = Duration.seconds(30);

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public int getMaxBatch() {
        return maxBatch;
    }

    public Duration getSubmitTimeout() {
        return submitTimeout;
    }
}
