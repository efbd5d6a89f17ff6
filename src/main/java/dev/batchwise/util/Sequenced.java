package dev.batchwise.util;

/** Something that carries its record's sequence number: 1 for the first record of a run's inputs. */
public interface Sequenced {
    long seq();
}
