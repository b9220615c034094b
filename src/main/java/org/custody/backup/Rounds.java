package org.custody.backup;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A round of upkeep run every so often on a daemon thread of its own, from start until stop (the service's lifetime). */
final class Rounds {
    private final String threadName;
    private final long periodMillis;
    private final Runnable round;
    private ScheduledExecutorService scheduler;

    Rounds(String threadName, long periodMillis, Runnable round) {
        this.threadName = threadName;
        this.periodMillis = periodMillis;
        this.round = round;
    }

    synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(round, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Lets a round under way finish (up to 30 seconds), then runs no more. */
    synchronized void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
            scheduler = null;
        }
    }
}
