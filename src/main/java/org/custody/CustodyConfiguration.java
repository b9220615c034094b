package org.custody;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.custody.access.AuthSettings;
import org.custody.erasure.ErasureSettings;
import org.custody.export.ExportSettings;
import org.custody.log.LedgerSettings;
import org.custody.log.LogSettings;

/** Custody's configuration: {@code config.yml}, with environment variables substituted. */
public class CustodyConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    private DatabaseFactory database = new DatabaseFactory();

    /** Runtime data of the embedded default: the H2 database, the initial admin password, generated keys. */
    @NotEmpty
    @JsonProperty
    private String dataDirectory = "data";

    @JsonProperty
    private boolean migrateOnStart = true;

    @NotNull
    @MaxDataSize(value = 16, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    private DataSize maxRequestBody = DataSize.mebibytes(1);

    /**
     * Bytes a second a client must send a request body at, on average over the time the service waits for it, once
     * that time passes {@link #requestBodyRateGrace}; slower is 408 (README, "Slow request bodies"). 0: no minimum.
     */
    @NotNull
    @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
    @JsonProperty
    private DataSize minRequestBodyRate = DataSize.kibibytes(1);

    /** How long the service may wait for a request body in all before the client's pace is judged. */
    @NotNull
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration requestBodyRateGrace = Duration.seconds(5);

    /**
     * Threads that may wait for the request bodies of one client address at once (README, "Slow request bodies"); a
     * read that would wait beyond it is refused with 429.
     */
    @Min(1)
    @JsonProperty
    private int bodyWaitsPerAddress = 8;

    /** Threads that may wait for request bodies at once in all; beyond it, 503. Keep it well under the server's maxThreads. */
    @Min(1)
    @JsonProperty
    private int bodyWaits = 256;

    @Valid
    @NotNull
    @JsonProperty
    private LedgerSettings ledger = new LedgerSettings();

    @Valid
    @NotNull
    @JsonProperty
    private AuthSettings auth = new AuthSettings();

    @Valid
    @NotNull
    @JsonProperty
    private LogSettings log = new LogSettings();

    @Valid
    @NotNull
    @JsonProperty
    private ErasureSettings erasure = new ErasureSettings();

    @Valid
    @NotNull
    @JsonProperty
    private ExportSettings exports = new ExportSettings();

    public DataSourceFactory getDatabase() {
        return database;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    /** Where the key files are: the log's signing keys and the second-factor key ({@code log.keyDirectory}, or {@code <dataDirectory>/keys}). */
    public Path keyDirectory() {
        return log.getKeyDirectory() == null ? Path.of(dataDirectory).resolve("keys") : Path.of(log.getKeyDirectory());
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    public DataSize getMinRequestBodyRate() {
        return minRequestBodyRate;
    }

    public Duration getRequestBodyRateGrace() {
        return requestBodyRateGrace;
    }

    public int getBodyWaitsPerAddress() {
        return bodyWaitsPerAddress;
    }

    public int getBodyWaits() {
        return bodyWaits;
    }

    public LedgerSettings getLedger() {
        return ledger;
    }

    public AuthSettings getAuth() {
        return auth;
    }

    public LogSettings getLog() {
        return log;
    }

    public ErasureSettings getErasure() {
        return erasure;
    }

    public ExportSettings getExports() {
        return exports;
    }
}
