package org.custody.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Floods: requests each sent from a thread of its own, released together. */
public final class AllAtOnce {
    private AllAtOnce() {}

    /** Sends {@code count} requests at once and waits for every answer, in the order the requests were made. */
    public static <T> List<T> send(int count, IntFunction<Callable<T>> requests) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> request = requests.apply(i);
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> replies = new ArrayList<>();
            for (Future<T> answer : answers) {
                replies.add(answer.get());
            }
            return replies;
        } finally {
            threads.shutdownNow();
        }
    }

    /** How many of the replies have this status. */
    public static long withStatus(List<TestApp.Reply> replies, int status) {
        return replies.stream().filter(reply -> reply.status() == status).count();
    }
}
