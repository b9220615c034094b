package org.custody.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A temporary file for text that must wait its turn in a ZIP (a spreadsheet is built while the case files are being
 * written), so that the text need not wait in memory. It holds personal data, so it is encrypted (AES-256-CTR) under
 * a key that exists only in this object: the file is unreadable to anyone who finds it, and it is deleted on close.
 */
final class SealedSpool implements AutoCloseable {
    private final Path file;
    private final SecretKeySpec key;
    private final IvParameterSpec iv;
    private final OutputStream out;

    SealedSpool(SecureRandom random) {
        byte[] keyBytes = new byte[32];
        byte[] ivBytes = new byte[16];
        random.nextBytes(keyBytes);
        random.nextBytes(ivBytes);
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.iv = new IvParameterSpec(ivBytes);
        try {
            this.file = Files.createTempFile("custody-export-", ".sealed");
            this.out = new CipherOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)), cipher(Cipher.ENCRYPT_MODE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for an export", e);
        }
    }

    OutputStream output() {
        return out;
    }

    /** Ends writing and copies what was written, decrypted, to {@code target}. */
    void copyTo(OutputStream target) throws IOException {
        out.close();
        try (InputStream in = new CipherInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)), cipher(Cipher.DECRYPT_MODE))) {
            in.transferTo(target);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Cipher cipher(int mode) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, key, iv);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides AES/CTR", e);
        }
    }
}
