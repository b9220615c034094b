package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key that seals TOTP secrets in the database, and its file. */
class SecondFactorKeyTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    @TempDir
    Path directory;
    private final byte[] secret = Totp.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    private final UUID user = UUID.randomUUID();

    @Test
    void aSecretOpensOnlyForItsUserUnderItsKeyAndUnchanged() {
        SecondFactorKey key = SecondFactorKey.generate(directory.resolve("a.key"), new char[0], RANDOM);
        byte[] sealed = key.seal(user, secret);
        assertThat(key.open(user, sealed)).isEqualTo(secret);
        assertThat(key.seal(user, secret)).as("a fresh nonce each time").isNotEqualTo(sealed);

        assertThatThrownBy(() -> key.open(UUID.randomUUID(), sealed)).isInstanceOf(SecondFactorKey.SealBrokenException.class);
        SecondFactorKey other = SecondFactorKey.generate(directory.resolve("b.key"), new char[0], RANDOM);
        assertThatThrownBy(() -> other.open(user, sealed)).isInstanceOf(SecondFactorKey.SealBrokenException.class);
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            assertThatThrownBy(() -> key.open(user, changed)).as("byte %d changed", i).isInstanceOf(SecondFactorKey.SealBrokenException.class);
        }
        assertThatThrownBy(() -> key.open(user, Arrays.copyOf(sealed, sealed.length - 1))).isInstanceOf(SecondFactorKey.SealBrokenException.class);
        assertThatThrownBy(() -> key.open(user, secret)).as("a secret stored in the clear").isInstanceOf(SecondFactorKey.SealBrokenException.class);
    }

    @Test
    void theFileIsTheOwnersAloneIsNeverReplacedAndReadsBackTheSameKey() throws Exception {
        Path file = directory.resolve("keys/second-factors.key");
        SecondFactorKey written = SecondFactorKey.generate(file, new char[0], RANDOM);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo(SecondFactorKey.HEADER);
        try (var names = Files.list(file.getParent())) {
            assertThat(names).as("nothing left beside it").containsExactly(file);
        }
        assertThat(SecondFactorKey.read(file, new char[0], RANDOM).open(user, written.seal(user, secret))).isEqualTo(secret);

        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SecondFactorKey.generate(file, new char[0], RANDOM)).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void underAPassphraseTheFileDoesNotHoldTheKeyInTheClear() throws Exception {
        Path file = directory.resolve("sealed.key");
        char[] passphrase = "an invented key passphrase".toCharArray();
        SecondFactorKey written = SecondFactorKey.generate(file, passphrase, RANDOM);
        byte[] sealed = written.seal(user, secret);
        String line = Files.readAllLines(file).get(1);
        assertThat(line).startsWith("pbkdf2-sha256 600000 ");

        assertThat(SecondFactorKey.read(file, passphrase, RANDOM).open(user, sealed)).isEqualTo(secret);
        assertThatThrownBy(() -> SecondFactorKey.read(file, "another passphrase".toCharArray(), RANDOM))
                .hasMessage("could not decrypt the second-factor key file " + file + " (wrong passphrase?)");
        assertThatThrownBy(() -> SecondFactorKey.read(file, new char[0], RANDOM))
                .hasMessage("the second-factor key file " + file + " is encrypted and no passphrase is configured");
    }

    @Test
    void aFileOfAnotherFormIsRefusedByName() throws Exception {
        Path file = directory.resolve("other.key");
        for (String text : new String[] {"", "a signing key perhaps\n", SecondFactorKey.HEADER + "\nnot base64!\n",
                SecondFactorKey.HEADER + "\n" + Base64.getEncoder().encodeToString(new byte[16]) + "\n",
                SecondFactorKey.HEADER + "\npbkdf2-sha256 many salt nonce key\n"}) {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> SecondFactorKey.read(file, "x".toCharArray(), RANDOM)).as(text)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(file.toString());
        }
    }
}
