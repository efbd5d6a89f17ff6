package dev.batchwise.testing;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --fn scripted --fn-arg handle=NAME}, registered for tests only: the {@link ScriptedFunction}
 * a test put under NAME, so that command-line tests can hold calls open and release them. A test
 * may put another function under the same name (for a resumed run, which must use the same options).
 */
public final class ScriptedFunctions implements BatchFunctionProvider {

    private static final Map<String, ScriptedFunction> BY_HANDLE = new ConcurrentHashMap<>();

    /** Makes {@code --fn scripted --fn-arg handle=NAME} use {@code f}. */
    public static void put(String handle, ScriptedFunction f) {
        BY_HANDLE.put(handle, f);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public String description() {
        return "test double: the scripted function a test registered under --fn-arg handle=NAME";
    }

    @Override
    public BatchFunctionFactory configure(FnArgs args) {
        args.requireOnly(Set.of("handle"));
        String handle = args.string("handle", "");
        ScriptedFunction f = BY_HANDLE.get(handle);
        if (f == null) {
            throw new IllegalArgumentException("no scripted function under handle '" + handle + "'");
        }
        return f;
    }
}
