package org.custody.log.tree;

/** A proof that does not verify, with the reason. */
public class ProofException extends Exception {
    public ProofException(String message) {
        super(message);
    }
}
