package dev.batchwise.arrival;

import dev.batchwise.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * N clients, each sending its next record when its previous one has finished. Clients freed together
 * send together; a record sent is arriving from the moment its client got its turn.
 */
final class ClosedLoopArrivals implements ArrivalDriver {

    private final Semaphore freeClients;
    private final Clock clock;

    ClosedLoopArrivals(int clients, Clock clock) {
        this.freeClients = new Semaphore(clients);
        this.clock = clock;
    }

    @Override
    public void finished(int records) {
        freeClients.release(records);
    }

    @Override
    public <X extends Exception> void run(Admissions<X> to) throws X, InterruptedException {
        int free = 0;
        long sentNanos = 0;
        while (!to.stopped()) {
            if (free == 0) {
                to.flush();
                freeClients.acquire();
                free = 1 + freeClients.drainPermits();
                sentNanos = clock.nanoTime();
            }
            if (!to.read()) {
                freeClients.release(free);
                break;
            }
            if (to.send(sentNanos)) {
                free--;
            }
        }
    }
}
