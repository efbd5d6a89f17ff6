package dev.batchwise.fn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a batch function takes and returns: its input parameters and its output names, both in the
 * order of the lists that {@link BatchFunction#apply} takes and returns.
 */
public record Signature(List<Param> inputs, List<String> outputs) {

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a batch function needs at least one input parameter");
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a batch function needs at least one output");
        }
        Set<String> seen = new HashSet<>();
        for (Param p : inputs) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("duplicate input parameter '" + p.name() + "'");
            }
        }
        if (new HashSet<>(outputs).size() != outputs.size()) {
            throw new IllegalArgumentException("duplicate output name in " + outputs);
        }
    }

    public List<String> inputNames() {
        return inputs.stream().map(Param::name).toList();
    }
}
