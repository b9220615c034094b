package org.custody.log;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

/** The verifiable log: its origin (also the signing key's name) and where the private keys are. */
public class LogSettings {
    /** c2sp.org/tlog-checkpoint origin: a unique name for this log, such as {@code custody.example.org/log}. */
    @NotEmpty
    @Pattern(regexp = "[^\\s+]+", message = "must have no spaces or '+'")
    @JsonProperty
    private String origin = "custody.invalid/unconfigured";

    /** Directory of PKCS#8 key files named by key ID; defaults to {@code <dataDirectory>/keys}. */
    @JsonProperty
    private String keyDirectory;

    /** Passphrase of encrypted key files; empty for unencrypted files (config.yml's empty default substitutes to null). */
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String keyPassphrase = "";

    /** Generate a key on first start when the directory has none (the embedded default). */
    @JsonProperty
    private boolean generateKeyIfMissing = true;

    public String getOrigin() {
        return origin;
    }

    public String getKeyDirectory() {
        return keyDirectory;
    }

    public String getKeyPassphrase() {
        return keyPassphrase;
    }

    public boolean isGenerateKeyIfMissing() {
        return generateKeyIfMissing;
    }
}
