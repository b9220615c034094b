package org.custody.log.signing;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.custody.common.OwnerOnly;

/**
 * Ed25519 log keys as PKCS#8 PEM files (RFC 8410 encoding), readable by OpenSSL; encrypted with a passphrase
 * (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) when one is given. Private keys live only in these files.
 */
public final class KeyFiles {
    /** Bouncy Castle's JCE provider, used directly (not registered) for the PBES2 cipher the JDK lacks. */
    private static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private KeyFiles() {}

    public static Ed25519PrivateKeyParameters generate(SecureRandom random) {
        return new Ed25519PrivateKeyParameters(random);
    }

    /** Writes the key to a new file readable only by its owner, on disk before this returns; refuses to overwrite. */
    public static void write(Path file, Ed25519PrivateKeyParameters key, char[] passphrase) {
        try {
            PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(key);
            PemObject pem;
            if (passphrase == null || passphrase.length == 0) {
                pem = new PemObject("PRIVATE KEY", info.getEncoded());
            } else {
                pem = new PKCS8Generator(info, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(PROVIDER).setRandom(new SecureRandom()).setPRF(PKCS8Generator.PRF_HMACSHA256)
                        .setIterationCount(600_000).setPassword(passphrase).build()).generate();
            }
            OwnerOnly.writeNew(file, pem(pem));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the key file " + file, e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("could not encrypt the key", e);
        }
    }

    public static Ed25519PrivateKeyParameters read(Path file, char[] passphrase) {
        try {
            return parse(file, Files.readAllBytes(file), passphrase);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the key file " + file, e);
        }
    }

    /** The key in a key file's bytes ({@code file} names it in messages). */
    public static Ed25519PrivateKeyParameters parse(Path file, byte[] content, char[] passphrase) {
        try (PEMParser parser = new PEMParser(new StringReader(new String(content, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            PrivateKeyInfo info;
            if (object instanceof PrivateKeyInfo plain) {
                info = plain;
            } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new IllegalStateException("the key file " + file + " is encrypted and no passphrase is configured");
                }
                info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(PROVIDER).build(passphrase));
            } else {
                throw new IllegalStateException("the key file " + file + " holds no PKCS#8 private key");
            }
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(info);
            if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
                throw new IllegalStateException("the key file " + file + " does not hold an Ed25519 key");
            }
            return ed25519;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the key file " + file, e);
        } catch (OperatorCreationException | PKCSException e) {
            throw new IllegalStateException("could not decrypt the key file " + file + " (wrong passphrase?)", e);
        }
    }

    /**
     * The file's permissions, as {@code ls} shows them, when its group or others may do anything with it (a key copied
     * back from a backup with the default umask, say); empty when only its owner may, or where the file system has no
     * POSIX permissions.
     */
    public static Optional<String> looseAccess(Path file) {
        try {
            return OwnerOnly.looseAccess(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the permissions of the key file " + file, e);
        }
    }

    /** The public key as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo), for OpenSSL and for the keys endpoint. */
    public static String publicKeyPem(byte[] publicKey) {
        try {
            return pem(new PemObject("PUBLIC KEY",
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new Ed25519PublicKeyParameters(publicKey, 0)).getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(PemObject object) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
