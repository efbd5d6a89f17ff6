package dev.batchwise.fn;

import java.util.Objects;

/** A named, typed input parameter of a batch function. */
public record Param(String name, ParamType type, String description) {
    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }
}
