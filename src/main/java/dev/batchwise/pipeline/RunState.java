package dev.batchwise.pipeline;

import dev.batchwise.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one run that more than one thread changes: whether and how it is stopping (one enum),
 * when a stop with a grace period began, the workers still running, whether the intake has ended,
 * and the first internal error. All of it under one lock; the stop state is also readable lock-free,
 * per record. The run's thread waits here for the intake, the workers, and the threads that load or
 * close function instances; every such wait and its signal go through the clock.
 */
final class RunState {

    /** How a run is ending early. NONE may move to any other; AT_FAILURE to a graced one; graced ones stay. */
    enum Stop {
        /** Running to the end of the inputs. */
        NONE(null, false),
        /**
         * {@code --on-error stop}: reading stopped at a failed record; what was read before it runs, with
         * no time limit.
         */
        AT_FAILURE(Outcome.Ending.STOPPED_AT_FAILURE, false),
        /** A stop request (a signal, or a bug): queued records are dropped, in-flight batches get the grace. */
        REQUESTED(Outcome.Ending.STOPPED, true),
        /** The output failed: as for a stop request. */
        OUTPUT_FAILED(Outcome.Ending.OUTPUT_FAILED, true);

        /** The ending it gives the run; {@code null} for none. */
        final Outcome.Ending ending;
        /** Whether in-flight batches have only the grace period left. */
        final boolean graced;

        Stop(Outcome.Ending ending, boolean graced) {
            this.ending = ending;
            this.graced = graced;
        }
    }

    /** For {@link #awaitDone}: wait as long as it takes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a worker or the intake ends, a loader or closer is done, or a stop is requested. */
    private final Condition changed = lock.newCondition();
    /** Written under lock; read lock-free. */
    private volatile Stop stop = Stop.NONE;
    /** Guarded by lock: when a graced stop was requested ({@link Clock} nanoseconds). */
    private long stopRequestedNanos;
    /** Guarded by lock. */
    private int workersRunning;
    /** Guarded by lock: whether the intake thread has ended (or was never started). */
    private boolean intakeEnded = true;
    /** Guarded by lock: the first failure of a pipeline thread, a bug. */
    private Throwable internalError;

    RunState(Clock clock) {
        this.clock = clock;
    }

    /** Whether any stop is under way; lock-free. */
    boolean stopping() {
        return stop != Stop.NONE;
    }

    /**
     * The workers start.
     *
     * @return whether a graced stop came already (while the functions were starting)
     */
    boolean workersStarted(int workers) {
        lock.lock();
        try {
            workersRunning = workers;
            return stop.graced;
        } finally {
            lock.unlock();
        }
    }

    void workerEnded() {
        lock.lock();
        try {
            workersRunning--;
            clock.signalAll(changed);
        } finally {
            lock.unlock();
        }
    }

    /** The intake thread is about to start. */
    void intakeStarting() {
        lock.lock();
        try {
            intakeEnded = false;
        } finally {
            lock.unlock();
        }
    }

    /** The intake thread has done its last work (called last on that thread). */
    void intakeEnded() {
        lock.lock();
        try {
            intakeEnded = true;
            clock.signalAll(changed);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the intake thread has ended. */
    void awaitIntake() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!intakeEnded) {
                clock.await(lock, changed);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Something a waiter of {@link #awaitDone} waits for may have happened (a loader or closer ended). */
    void changed() {
        lock.lock();
        try {
            clock.signalAll(changed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code done} holds, {@code giveUp} holds, or the clock reaches {@code deadlineNanos}
     * ({@link #NO_DEADLINE}: never); whoever makes {@code done} hold calls {@link #changed()} after,
     * and a stop, which {@code giveUp} may look at, wakes the wait too.
     *
     * @return whether {@code done} holds
     */
    boolean awaitDone(BooleanSupplier done, BooleanSupplier giveUp, long deadlineNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!done.getAsBoolean() && !giveUp.getAsBoolean()) {
                if (deadlineNanos == NO_DEADLINE) {
                    clock.await(lock, changed);
                } else if (clock.nanoTime() - deadlineNanos < 0) {
                    clock.awaitUntil(lock, changed, deadlineNanos);
                } else {
                    break;
                }
            }
            return done.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    /** Moves NONE to AT_FAILURE; returns whether it did (the first failure, with no stop under way). */
    boolean stopAtFailure() {
        lock.lock();
        try {
            if (stop != Stop.NONE) {
                return false;
            }
            stop = Stop.AT_FAILURE;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a graced stop, unless one is under way; a stop at the first failure becomes this one.
     *
     * @return whether it started one
     */
    boolean stopWithGrace(Stop reason) {
        lock.lock();
        try {
            if (stop.graced) {
                return false;
            }
            stopRequestedNanos = clock.nanoTime();
            stop = reason;
            clock.signalAll(changed);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records the first internal error. */
    void failed(Throwable t) {
        lock.lock();
        try {
            if (internalError == null) {
                internalError = t;
            }
        } finally {
            lock.unlock();
        }
    }

    Throwable internalError() {
        lock.lock();
        try {
            return internalError;
        } finally {
            lock.unlock();
        }
    }

    /** The ending the stop gives the run, or {@code null} while none is under way. */
    Outcome.Ending stopEnding() {
        return stop.ending;
    }

    /**
     * Waits until every worker has finished, or, once a graced stop is under way, at most the grace
     * period from its request; the timed wait goes through the clock.
     *
     * @return true when the grace period ran out with workers still busy
     */
    boolean awaitWorkers(long graceNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (workersRunning > 0) {
                if (!stop.graced) {
                    clock.await(lock, changed);
                } else {
                    long deadline = stopRequestedNanos + graceNanos;
                    if (clock.nanoTime() - deadline >= 0) {
                        return true;
                    }
                    clock.awaitUntil(lock, changed, deadline);
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }
}
