package org.custody.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.custody.log.signing.NoteKey;
import org.junit.jupiter.api.Test;

/**
 * What one checkpoint signature check costs, the largest single part of verify-log: Bouncy Castle's Ed25519 check
 * against the same key prepared for many checks ({@link NoteKey} once it has checked a thousand), single-threaded,
 * over checkpoint-sized messages. Run it with {@code mvn -B test -Pbench -Dtest=SignatureBenchmark}.
 */
class SignatureBenchmark {
    static final int SIGNATURES = 20_000;

    @Test
    void measure() {
        Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(new SecureRandom());
        Ed25519PublicKeyParameters bouncyCastle = secret.generatePublicKey();
        NoteKey prepared = new NoteKey("custody.bench/log", bouncyCastle.getEncoded());
        byte[][] messages = new byte[SIGNATURES][];
        byte[][] signatures = new byte[SIGNATURES][64];
        for (int i = 0; i < SIGNATURES; i++) {
            messages[i] = ("custody.bench/log\n" + (1_000_000 + i) + "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n").getBytes(StandardCharsets.UTF_8);
            secret.sign(Ed25519.Algorithm.Ed25519, null, messages[i], 0, messages[i].length, signatures[i], 0);
        }
        for (int round = 1; round <= 3; round++) {
            long began = System.nanoTime();
            for (int i = 0; i < SIGNATURES; i++) {
                assertThat(bouncyCastle.verify(Ed25519.Algorithm.Ed25519, null, messages[i], 0, messages[i].length, signatures[i], 0)).isTrue();
            }
            long bc = System.nanoTime() - began;
            began = System.nanoTime();
            for (int i = 0; i < SIGNATURES; i++) {
                assertThat(prepared.verifies(messages[i], signatures[i])).isTrue();
            }
            long ours = System.nanoTime() - began;
            System.out.printf("round %d: Bouncy Castle %.1f µs a check, prepared key %.1f µs (the first round includes preparing it)%n",
                    round, bc / 1e3 / SIGNATURES, ours / 1e3 / SIGNATURES);
        }
    }
}
