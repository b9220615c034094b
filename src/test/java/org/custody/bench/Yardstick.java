package org.custody.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * How fast this machine is right now: fixed work in three parts, each on two threads at once, timed. The parts are the
 * service's kinds of work: signing and hashing (Bouncy Castle's Ed25519 and the JDK's SHA-256, as the service uses them),
 * reading memory at random (as a check reading rows and tiles does, beyond the caches), and handing work from one thread
 * to another and back (as a request does between Jetty, the ledger's writer and the database). The same code gives the
 * same figures on an idle machine of unchanging speed, so when a benchmark's figures move between runs of the same code,
 * the yardstick taken beside them says whether the machine moved with them. Lower is faster.
 */
final class Yardstick {
    private static final int SIGNATURES = 6_000;
    private static final int DIGEST_MIB = 64;
    private static final int MEMORY_LONGS = 4 << 20; // 32 MiB a thread
    private static final int MEMORY_READS = 2_000_000;
    private static final int HANDOFFS = 5_000;
    /** Where the work's results go, so that the JIT cannot find them unused and drop the work. */
    private static volatile long sink;

    /** Milliseconds each part took, two threads at once. */
    record Figures(double computing, double memory, double handoffs) {
        double total() {
            return computing + memory + handoffs;
        }

        /** For a benchmark's report: the figures and what they measure, in one line. */
        String describe(String when) {
            return String.format("- machine yardstick %s: **%,.0f ms** (signing and hashing %.0f, memory %.0f, thread handoffs %.0f; "
                    + "lower is faster, see `Yardstick`)", when, total(), computing, memory, handoffs);
        }
    }

    private Yardstick() {
    }

    /** Each part's median of three timed rounds, after two untimed rounds that let the JIT compile the work. */
    static Figures measure() {
        round();
        round();
        Figures[] rounds = {round(), round(), round()};
        return new Figures(median(rounds, Figures::computing), median(rounds, Figures::memory), median(rounds, Figures::handoffs));
    }

    private static double median(Figures[] rounds, java.util.function.ToDoubleFunction<Figures> part) {
        double[] values = Arrays.stream(rounds).mapToDouble(part).sorted().toArray();
        return values[1];
    }

    private static Figures round() {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            double computing = timed(threads, List.of(() -> computing((byte) 1), () -> computing((byte) 2)));
            double memory = timed(threads, List.of(() -> memory(1), () -> memory(2)));
            SynchronousQueue<Long> there = new SynchronousQueue<>();
            SynchronousQueue<Long> back = new SynchronousQueue<>();
            double handoffs = timed(threads, List.of(() -> serve(there, back), () -> ask(there, back)));
            return new Figures(computing, memory, handoffs);
        } finally {
            threads.shutdownNow();
        }
    }

    private static double timed(ExecutorService threads, List<Callable<Long>> work) {
        try {
            long began = System.nanoTime();
            for (Future<Long> done : threads.invokeAll(work)) {
                sink += done.get();
            }
            return (System.nanoTime() - began) / 1e6;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the machine", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the yardstick's work failed", e.getCause());
        }
    }

    /** Signatures over changing messages, then digests over a buffer. */
    private static long computing(byte seed) throws NoSuchAlgorithmException {
        byte[] keyBytes = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        Arrays.fill(keyBytes, seed);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(keyBytes, 0));
        byte[] message = new byte[96];
        long check = 0;
        for (int i = 0; i < SIGNATURES; i++) {
            message[i % message.length]++;
            signer.update(message, 0, message.length);
            check += signer.generateSignature()[0];
        }
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        for (int i = 0; i < DIGEST_MIB; i++) {
            buffer[i] = seed;
            sha256.update(buffer);
            check += sha256.digest()[0];
        }
        return check;
    }

    /** Reads at random places of an array far larger than the caches; each place depends on the last value read. */
    private static long memory(long seed) {
        long[] values = new long[MEMORY_LONGS];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0x9E3779B97F4A7C15L + seed;
        }
        long position = seed;
        for (int i = 0; i < MEMORY_READS; i++) {
            position = values[(int) ((position ^ (position >>> 29)) & (MEMORY_LONGS - 1))] + i;
        }
        return position;
    }

    /** One side of a conversation: takes a number and passes the next one back, until it has answered them all. */
    private static long serve(SynchronousQueue<Long> there, SynchronousQueue<Long> back) throws InterruptedException {
        for (int i = 0; i < HANDOFFS; i++) {
            back.put(there.take() + 1);
        }
        return 1;
    }

    private static long ask(SynchronousQueue<Long> there, SynchronousQueue<Long> back) throws InterruptedException {
        long value = 0;
        for (int i = 0; i < HANDOFFS; i++) {
            there.put(value);
            value = back.take();
        }
        return value;
    }
}
