package dev.batchwise.options;

import java.lang.reflect.Field;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the front ends other than {@code run} say of run's options: each takes an option through its
 * shared declaration, or says why not ({@link Refused}, beside the declaration).
 */
public final class Refusals {

    /** A front end that holds its options to run's. */
    public enum FrontEnd {
        BENCH("bench"), SPARK("the Spark job");

        private final String label;

        FrontEnd(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A command of a front end that refuses run's options it does not take. */
    public interface Refusing {
        FrontEnd frontEnd();
    }

    private static final CommandSpec RUN = RunOptions.model();

    private Refusals() {}

    /**
     * Why {@code frontEnd} does not take {@code option}, one of run's: the reason on its declaration,
     * else the one on its group; empty when it takes it.
     */
    public static String reason(OptionSpec option, FrontEnd frontEnd) {
        if (!(option.userObject() instanceof Field field)) {
            return "";
        }
        String own = reason(field.getAnnotation(Refused.class), frontEnd);
        return !own.isEmpty() ? own : reason(field.getDeclaringClass().getAnnotation(Refused.class), frontEnd);
    }

    private static String reason(Refused refused, FrontEnd frontEnd) {
        if (refused == null) {
            return "";
        }
        return frontEnd == FrontEnd.BENCH ? refused.bench() : refused.spark();
    }

    /**
     * The message for {@code typed}, an option {@code frontEnd} lacks: the run option of that name, as
     * one line with why; {@code null} when run has no such option, or no reason to give.
     */
    public static String refusal(String typed, FrontEnd frontEnd) {
        for (OptionSpec o : RUN.options()) {
            String why = reason(o, frontEnd);
            if (List.of(o.names()).contains(typed) && !why.isEmpty()) {
                return String.join("/", o.names()) + " is a run option that " + frontEnd.label() + " does not take: "
                        + why;
            }
        }
        return null;
    }
}
