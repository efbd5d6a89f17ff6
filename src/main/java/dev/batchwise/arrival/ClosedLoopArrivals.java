package dev.batchwise.arrival;

import dev.batchwise.time.Clock;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * N clients, each sending its next record when its previous one has finished. Clients freed together
 * send together; a record sent is arriving from the moment its client got its turn. The wait for a
 * free client, and the signal that ends it, go through the clock.
 */
final class ClosedLoopArrivals implements ArrivalDriver {

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when clients are freed. */
    private final Condition freed = lock.newCondition();
    /** Clients free to send, not yet taken by the intake. Guarded by lock. */
    private int freeClients;

    ClosedLoopArrivals(int clients, Clock clock) {
        this.freeClients = clients;
        this.clock = clock;
    }

    @Override
    public void finished(int records) {
        lock.lock();
        try {
            freeClients += records;
            clock.signal(freed);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a client is free, then takes every free one. */
    private int takeFreeClients() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (freeClients == 0) {
                clock.await(lock, freed);
            }
            int taken = freeClients;
            freeClients = 0;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <X extends Exception> void run(Admissions<X> to) throws X, InterruptedException {
        int free = 0;
        long sentNanos = 0;
        while (!to.stopped()) {
            if (free == 0) {
                to.flush();
                free = takeFreeClients();
                sentNanos = clock.nanoTime();
            }
            if (!to.read()) {
                break;
            }
            if (to.send(sentNanos)) {
                free--;
            }
        }
    }
}
