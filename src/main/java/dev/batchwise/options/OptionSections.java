package dev.batchwise.options;

import dev.batchwise.run.RunSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A front end's option groups, in the sections its help shows them in: each group an instance of one
 * of the shared declarations (or of the front end's own), whose fields picocli fills. Installed into
 * the front end's command ({@link #install}), the groups are picocli argument groups, one section a
 * heading over its groups; then {@link #applyTo} hands every group's values to a run spec's builder.
 * A front end lists its sections once, as data; the option declarations stay in their groups.
 */
public final class OptionSections {

    /** A front end whose command takes its options from sections. */
    public interface Sectioned {
        OptionSections options();
    }

    private record Group(Object options, String heading) {}

    private final List<Group> groups = new ArrayList<>();

    /**
     * A section: {@code title} over the options of {@code groups}, in their order.
     *
     * @param groups instances of option groups, afresh for this command
     */
    public OptionSections section(String title, Object... groups) {
        for (int i = 0; i < groups.length; i++) {
            this.groups.add(new Group(groups[i], i == 0 ? "%n" + title + ":%n" : ""));
        }
        return this;
    }

    /** Adds the groups to {@code command}, after its own, each as a group that picocli does not validate. */
    public OptionSections install(CommandSpec command) {
        int order = command.argGroups().size();
        for (Group g : groups) {
            ArgGroupSpec.Builder group = ArgGroupSpec.builder().validate(false).heading(g.heading()).order(++order);
            for (OptionSpec o : CommandSpec.forAnnotatedObject(g.options(), CommandLine.defaultFactory()).options()) {
                group.addArg(o);
            }
            command.addArgGroup(group.build());
        }
        return this;
    }

    /** Installs the sections of every command of {@code cl} that has them, subcommands included. */
    public static void installAll(CommandLine cl) {
        if (cl.getCommand() instanceof Sectioned s) {
            s.options().install(cl.getCommandSpec());
        }
        cl.getSubcommands().values().forEach(OptionSections::installAll);
    }

    /** Hands the values of every group that sets part of a run spec to {@code spec}, in order. */
    public void applyTo(RunSpec.Builder spec) {
        for (Group g : groups) {
            if (g.options() instanceof SpecOptions s) {
                s.applyTo(spec);
            }
        }
    }

    /** The group of {@code type}, as filled; for a front end's own options. */
    public <T> T group(Class<T> type) {
        for (Group g : groups) {
            if (type.isInstance(g.options())) {
                return type.cast(g.options());
            }
        }
        throw new IllegalArgumentException("no group " + type.getSimpleName());
    }

    /** The classes of the groups, in order. */
    public List<Class<?>> types() {
        return groups.stream().<Class<?>>map(g -> g.options().getClass()).toList();
    }
}
