package dev.batchwise.arrival;

/** Every record as fast as the queue admits it; arrival is admission. */
final class BurstArrivals implements ArrivalDriver {

    @Override
    public <X extends Exception> void run(Admissions<X> to) throws X, InterruptedException {
        while (!to.stopped() && to.read()) {
            to.send(Admissions.ON_ADMISSION);
            if (to.held() >= MAX_CHUNK) {
                to.flush();
            }
        }
    }
}
