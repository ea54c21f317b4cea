package org.jupyterhealth.exchange.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

/** argon2id hashes, and how many of them may hold their memory at once. */
class PasswordHasherTest {

    /** A small cost (the test profile's) and {@code concurrency} hashes at once. */
    private static PasswordHasher hasher(int concurrency) {
        return new PasswordHasher(new IdentityConfig.PasswordHashing() {
            @Override
            public int memoryKib() {
                return 1024;
            }

            @Override
            public int iterations() {
                return 1;
            }

            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public int concurrency() {
                return concurrency;
            }
        });
    }

    @Test
    void aHashMatchesItsPasswordAndNoOther() {
        PasswordHasher hasher = hasher(0);

        String hash = hasher.hash("correct horse battery staple");

        assertThat(hash).startsWith("$argon2id$");
        assertThat(hasher.matches("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.matches("correct horse battery stapler", hash)).isFalse();
        assertThat(hasher.matches("correct horse battery staple", null)).isFalse();
    }

    @Test
    void aHashBeyondTheConcurrencyWaitsUntilAPlaceIsFree() throws Exception {
        PasswordHasher hasher = hasher(1);
        // two threads of its own (the common pool may have only one on a 2-core machine)
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the one place, held until the test lets it go
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> hasher.bounded(() -> {
            holding.countDown();
            await(release);
            return null;
        }), threads);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            secondThread.set(Thread.currentThread());
            return hasher.hash("correct horse battery staple");
        }, threads);

        // the second hash parks on the place instead of running beside the first
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((secondThread.get() == null || secondThread.get().getState() != Thread.State.WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(secondThread.get().getState()).isEqualTo(Thread.State.WAITING);
        assertThat(second).isNotDone();

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(hasher.matches("correct horse battery staple", second.get(10, TimeUnit.SECONDS))).isTrue();
        threads.shutdown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
