package org.custody.log.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known answers from golang.org/x/mod/sumdb/note (note_test.go): the PeterNeumann key and note. Ed25519 is
 * deterministic, so reproducing the published note byte for byte means Go's verifier accepts our notes.
 */
class SignedNoteTest {
    static final String VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String SEED = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    static final String NOTE = TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    static LogSigner peter() {
        byte[] typed = Base64.getDecoder().decode(SEED);
        return new LogSigner("PeterNeumann", new Ed25519PrivateKeyParameters(Arrays.copyOfRange(typed, 1, 33), 0));
    }

    @Test
    void reproducesTheGoReferenceKeyAndNoteByteForByte() throws Exception {
        LogSigner signer = peter();
        assertThat(signer.key().verifierKey()).isEqualTo(VKEY);
        assertThat(signer.key().keyIdHex()).isEqualTo("c74f20a3");
        assertThat(SignedNote.sign(TEXT, List.of(signer)).text()).isEqualTo(NOTE);
        SignedNote parsed = SignedNote.parse(NOTE);
        assertThat(parsed.body()).isEqualTo(TEXT);
        assertThat(parsed.verifiedBy(List.of(NoteKey.parseVerifierKey(VKEY)))).containsExactly(signer.key());
    }

    @Test
    void aChangedBodyOrAnotherKeyDoesNotVerify() throws Exception {
        assertThat(SignedNote.parse(NOTE.replace("cryptography", "cryptographY")).verifiedBy(List.of(NoteKey.parseVerifierKey(VKEY)))).isEmpty();
        LogSigner other = new LogSigner("PeterNeumann", new Ed25519PrivateKeyParameters(new SecureRandom()));
        assertThat(SignedNote.parse(NOTE).verifiedBy(List.of(other.key()))).isEmpty();
    }

    @Test
    void refusesMalformedVerifierKeysAndNotes() {
        assertThatThrownBy(() -> NoteKey.parseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .hasMessage("the verifier key's ID does not match its name and key");
        assertThatThrownBy(() -> NoteKey.parseVerifierKey("PeterNeumann+c74f20a3+AhNqNXQqoUrm4UO2e9XmJ8wL/PJNY3Pwnl1hdC1vOQ=="))
                .hasMessage("the verifier key is not an Ed25519 key");
        assertThatThrownBy(() -> SignedNote.parse(TEXT)).hasMessageContaining("no blank line");
        assertThatThrownBy(() -> SignedNote.parse(TEXT + "\n- PeterNeumann abc=\n")).hasMessageContaining("em dash");
    }

    @Test
    void checkpointBodiesFollowTlogCheckpoint() throws Exception {
        byte[] root = new byte[32];
        root[0] = 1;
        Checkpoint checkpoint = new Checkpoint("custody.example.org/log", 42, root);
        assertThat(checkpoint.body()).isEqualTo("custody.example.org/log\n42\nAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        assertThat(Checkpoint.parse(checkpoint.body())).usingRecursiveComparison().isEqualTo(checkpoint);
        assertThatThrownBy(() -> Checkpoint.parse("origin\n-1\nAQ==\n")).hasMessageContaining("not a checkpoint");
    }

    private static String pemType(Path file) throws java.io.IOException {
        try (org.bouncycastle.util.io.pem.PemReader reader = new org.bouncycastle.util.io.pem.PemReader(Files.newBufferedReader(file))) {
            return reader.readPemObject().getType();
        }
    }

    @Test
    void keyFilesRoundTripPlainAndEncrypted(@TempDir Path directory) throws Exception {
        Ed25519PrivateKeyParameters key = KeyFiles.generate(new SecureRandom());
        KeyFiles.write(directory.resolve("plain.pem"), key, null);
        KeyFiles.write(directory.resolve("sealed.pem"), key, "a passphrase".toCharArray());
        assertThat(KeyFiles.read(directory.resolve("plain.pem"), null).getEncoded()).isEqualTo(key.getEncoded());
        assertThat(KeyFiles.read(directory.resolve("sealed.pem"), "a passphrase".toCharArray()).getEncoded()).isEqualTo(key.getEncoded());
        assertThatThrownBy(() -> KeyFiles.read(directory.resolve("sealed.pem"), "wrong".toCharArray())).hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> KeyFiles.read(directory.resolve("sealed.pem"), null)).hasMessageContaining("no passphrase");
        assertThat(pemType(directory.resolve("plain.pem"))).isEqualTo("PRIVATE KEY");
        assertThat(pemType(directory.resolve("sealed.pem"))).isEqualTo("ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> KeyFiles.write(directory.resolve("plain.pem"), key, null)).hasMessageContaining("could not write");
        assertThat(Files.isReadable(directory.resolve("plain.pem"))).isTrue();
    }

    @Test
    void aKeyFileIsWrittenForItsOwnerAloneAndLooserPermissionsAreNamed(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("key.pem");
        KeyFiles.write(file, KeyFiles.generate(new SecureRandom()), null);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyFiles.looseAccess(file)).isEmpty();
        for (String loose : List.of("rw-r-----", "rw----r--", "rw--w----", "r-------x", "rw-rw-rw-")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(loose));
            assertThat(KeyFiles.looseAccess(file)).as(loose).contains(loose);
        }
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        assertThat(KeyFiles.looseAccess(file)).as("read-only for its owner").isEmpty();
    }
}
