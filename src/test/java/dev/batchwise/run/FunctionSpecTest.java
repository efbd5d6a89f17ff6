package dev.batchwise.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.model.ModelSpec;
import dev.batchwise.model.Task;
import dev.batchwise.testing.Runs;
import dev.batchwise.util.SettingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A function spec is data: it travels to another machine, and only building it loads anything. */
class FunctionSpecTest {

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Test
    void bothKindsSurviveSerialization() throws Exception {
        FunctionSpec fn = new FunctionSpec.Named("trim-words", Map.of("delay", "5ms"), List.of("plugins/a.jar"));
        FunctionSpec model = new FunctionSpec.Model("minilm-q", Runs.with(ModelSpec.builder(), m -> {
            m.task = Task.EMBED;
            m.maxLength = 64;
            m.threads = 2;
            m.cacheDir = "/tmp/cache";
        }).build());
        assertEquals(fn, roundTrip(fn));
        assertEquals(model, roundTrip(model));
    }

    @Test
    void buildingANamedFunctionMakesItsFactoryHere() throws Exception {
        FunctionSpec fn = new FunctionSpec.Named("echo", Map.of(), List.of());
        assertEquals("echo", fn.factory(1, Map.of()).name());
        assertFalse(fn.isModel());
    }

    @Test
    void anUnknownFunctionIsAMistakeInTheOptions() {
        SettingException e = assertThrows(SettingException.class,
                () -> new FunctionSpec.Named("no-such", Map.of(), List.of()).factory(1, Map.of()));
        assertEquals("fn", e.setting());
        assertTrue(e.helpHelps());
        assertEquals(2, ExitCodes.of(e));
    }

    @Test
    void aMissingPluginJarExits2WithoutTheUsageHint() {
        SettingException e = assertThrows(SettingException.class,
                () -> new FunctionSpec.Named("echo", Map.of(), List.of("no-such.jar")).factory(1, Map.of()));
        assertFalse(e.helpHelps());
        assertEquals(2, ExitCodes.of(e));
        assertEquals("plugin no-such.jar: no such file", e.getMessage(), "named by its key, for code");
        assertEquals("--plugin no-such.jar: no such file", e.phrase().render((key, form) -> "--" + key));
    }
}
