package dev.batchwise.options;

import dev.batchwise.run.RunSpec;

/**
 * A group of option declarations that sets part of a run spec: picocli fills its fields, then
 * {@link #applyTo} sets their values on the spec's builder, whose {@code build()} checks them. A front
 * end lists the groups it takes in its {@link OptionSections}, which installs them into its command and
 * applies each. An option that a front end does not take is marked {@link Refused} with the reason.
 */
public interface SpecOptions {

    /** Sets this group's values on {@code spec}; converts text (durations, sizes, choices) on the way. */
    void applyTo(RunSpec.Builder spec);
}
