package org.custody.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.custody.common.Turns;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}.
 * The default cost is OWASP's minimum memory for Argon2id (19 MiB, 1 lane) with one pass more than its minimum of 2:
 * with 2, a check took about 35 ms in a long-running JVM on the 2-core machine, under the 50 ms aimed for.
 *
 * <p>Each derivation holds its memory cost on the heap (19 MiB by default) for as long as it runs, and anyone may ask
 * for one by signing in. So only a few run at once ({@code concurrency}, by default one per core up to four: more would
 * only share the same cores); the others wait their {@link Turns}, for at most {@code wait}, and are then refused with
 * 503. Without that bound, 180 sign-ins at once from ten addresses threw OutOfMemoryError in a service of
 * {@code -Xmx448m}, where the page cache of H2 lives too.
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 3;
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int DEFAULT_CONCURRENCY = Math.min(4, Runtime.getRuntime().availableProcessors());
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random;
    private final String decoyHash;
    private final Turns turns;

    public PasswordHasher(int memoryKib, int iterations, int parallelism, SecureRandom random) {
        this(memoryKib, iterations, parallelism, DEFAULT_CONCURRENCY, DEFAULT_WAIT, random);
    }

    /** A hasher of which at most {@code concurrency} derivations run at once, a further one waiting at most {@code wait}. */
    public PasswordHasher(int memoryKib, int iterations, int parallelism, int concurrency, Duration wait, SecureRandom random) {
        this.turns = new Turns(concurrency, wait, "Too many password checks are running at once; try again shortly");
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.random = random;
        this.decoyHash = hash("decoy password that matches nothing".toCharArray());
    }

    public static PasswordHasher defaults(SecureRandom random) {
        return new PasswordHasher(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, random);
    }

    public String hash(char[] password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] digest = derive(password, salt, memoryKib, iterations, parallelism);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(digest);
    }

    public boolean verify(char[] password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        byte[] salt = B64_DECODER.decode(m.group(4));
        byte[] expected = B64_DECODER.decode(m.group(5));
        byte[] actual = derive(password, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Whether a stored hash was made at another cost than this hasher's (or is not one of ours): hashes keep the cost
     * they were made with, so after the cost changes each is made again at its user's next sign-in.
     */
    public boolean needsRehash(String phc) {
        Matcher m = PHC.matcher(phc);
        return !m.matches() || Integer.parseInt(m.group(1)) != memoryKib || Integer.parseInt(m.group(2)) != iterations
                || Integer.parseInt(m.group(3)) != parallelism;
    }

    /** Spends the same time as a real check, so an unknown user name cannot be told apart by timing. */
    public void verifyDecoy(char[] password) {
        verify(password, decoyHash);
    }

    private byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism) {
        try (Turns.Turn turn = turns.take()) {
            return argon2id(password, salt, memoryKib, iterations, parallelism);
        }
    }

    /** How many derivations are running now. */
    int running() {
        return turns.running();
    }

    /** How many are waiting for their turn (an estimate, as the queue moves). */
    int waiting() {
        return turns.waiting();
    }

    /** How many password checks were refused because too many ran at once (a metric: a flood of sign-ins shows here). */
    public long refusedBusy() {
        return turns.refused();
    }

    private static byte[] argon2id(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[32];
        byte[] passwordBytes = new String(password).getBytes(StandardCharsets.UTF_8);
        generator.generateBytes(passwordBytes, out);
        java.util.Arrays.fill(passwordBytes, (byte) 0);
        return out;
    }
}
