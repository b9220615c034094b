package org.custody.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Exports: how many bundles are built at once (each holds some megabytes and a core while it streams). */
public class ExportSettings {
    /** Bundles built at once; by default one per core, at most four. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int concurrentBundles = Math.min(4, Runtime.getRuntime().availableProcessors());

    /** How long a download waits for its turn before it is refused with 503. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration bundleWait = Duration.seconds(10);

    /**
     * Bytes a second a client must take, on average over the time its bundle waits for it, once that time passes
     * {@link #downloadRateGrace}; a slower one is cut off, since it holds a turn at building bundles. 0: no minimum.
     */
    @NotNull
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    @JsonProperty
    private DataSize minDownloadRate = DataSize.kibibytes(8);

    /** How long a bundle may wait for its client in all before the client's pace is judged. */
    @NotNull
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    @JsonProperty
    private Duration downloadRateGrace = Duration.seconds(30);

    public int getConcurrentBundles() {
        return concurrentBundles;
    }

    public Duration getBundleWait() {
        return bundleWait;
    }

    public DataSize getMinDownloadRate() {
        return minDownloadRate;
    }

    public Duration getDownloadRateGrace() {
        return downloadRateGrace;
    }
}
