package dev.batchwise.options;

import dev.batchwise.run.RunSpec;

/**
 * A group of option declarations that sets part of a run spec: picocli fills its fields, then
 * {@link #applyTo} hands their values to the spec's builder, which checks them. A front end includes
 * the groups it takes as {@code @ArgGroup}s and applies each.
 */
public interface SpecOptions {

    /** Sets this group's values on {@code spec}; converts text (durations, sizes, choices) on the way. */
    void applyTo(RunSpec.Builder spec);
}
