package dev.batchwise.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Loads one model file on its engine, for one worker: the engine settings every model shares. */
final class EngineModels {

    private EngineModels() {}

    /**
     * @param threads the engine's math threads for this instance
     * @throws ModelLoadException naming the file and the engine's reason
     */
    static Model load(String name, Engine engine, Path file, int threads) throws ModelLoadException {
        Model model = Model.newInstance(name, engine.djlName());
        OrtSession.SessionOptions session = null;
        try {
            Map<String, Object> loadOptions = new HashMap<>();
            if (engine == Engine.ONNX) {
                // The session copies its options when it is made, so they are closed right after.
                session = new OrtSession.SessionOptions();
                // Idle intra-op threads sleep instead of spinning: as fast on an idle machine, and measured
                // 1.5-2x faster on a busy one, where a spinning thread takes the core from a working one.
                session.addConfigEntry("session.intra_op.allow_spinning", "0");
                loadOptions.put("sessionOptions", session);
                loadOptions.put("intraOpNumThreads", Integer.toString(threads));
                loadOptions.put("interOpNumThreads", "1");
            }
            model.load(file, null, loadOptions);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException | OrtException | LinkageError e) {
            // LinkageError: the engine's native library will not load (damaged, unreadable, wrong platform)
            model.close();
            throw new ModelLoadException("cannot load " + file + " on " + engine.djlName() + ": "
                    + TextModelFunction.rootMessage(e), e);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }
}
