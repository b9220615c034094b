package org.custody.log;

import java.util.concurrent.CompletableFuture;

/** A submitted change and, once its batch is decided, what to tell the submitter. */
final class PendingChange<R> {
    final Actor actor;
    final Change<R> change;
    final CompletableFuture<Recorded<R>> future = new CompletableFuture<>();
    private Recorded<R> staged;
    private RuntimeException stagedFailure;

    PendingChange(Actor actor, Change<R> change) {
        this.actor = actor;
        this.change = change;
    }

    @SuppressWarnings("unchecked")
    void stage(Object result, long index) {
        staged = new Recorded<>((R) result, index);
        stagedFailure = null;
    }

    void stageFailure(RuntimeException failure) {
        staged = null;
        stagedFailure = failure;
    }

    /** Completes the future only after the batch committed, so no caller hears of an uncommitted write. */
    void settle() {
        if (stagedFailure != null) {
            future.completeExceptionally(stagedFailure);
        } else {
            future.complete(staged);
        }
    }
}
