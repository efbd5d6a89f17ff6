package dev.batchwise.cli;

import dev.batchwise.util.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Enum values as users see them: lower case in errors (help and completion show each constant's
 * {@code toString()}, which the enums make lower case), typed in any case.
 */
final class LowerCaseEnums {

    private LowerCaseEnums() {}

    /** Registers a converter for every enum type an option or parameter of {@code cl} or its subcommands has. */
    static void register(CommandLine cl) {
        Set<Class<?>> enums = new LinkedHashSet<>();
        collect(cl, enums);
        for (Class<?> e : enums) {
            register(cl, e);
        }
    }

    private static void collect(CommandLine cl, Set<Class<?>> enums) {
        for (ArgSpec a : cl.getCommandSpec().args()) {
            for (Class<?> t : a.auxiliaryTypes()) {
                if (t.isEnum()) {
                    enums.add(t);
                }
            }
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, enums));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(CommandLine cl, Class<?> type) {
        cl.registerConverter((Class) type, value -> convert((Class) type, value));
    }

    static <E extends Enum<E>> E convert(Class<E> type, String value) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value) || constant.toString().equalsIgnoreCase(value)) {
                return constant;
            }
            names.add(constant.toString().toLowerCase(Locale.ROOT));
        }
        String dym = Suggestions.didYouMean(value, names);
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + String.join(", ", names)
                + dym);
    }
}
