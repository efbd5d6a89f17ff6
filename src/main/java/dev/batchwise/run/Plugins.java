package dev.batchwise.run;

import dev.batchwise.fn.FunctionRegistry;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The functions of batchwise and of {@code --plugin} jars. */
public final class Plugins {

    private Plugins() {}

    /**
     * The built-in functions and those of {@code jars}.
     *
     * @throws RunException exit 2 for a jar that is not a file, exit 5 when the jars' providers clash or
     *     cannot be loaded
     */
    public static FunctionRegistry registry(List<Path> jars) throws RunException {
        ClassLoader loader = loader(jars);
        try {
            return FunctionRegistry.load(loader);
        } catch (IllegalStateException e) {
            throw new RunException(ExitCodes.FUNCTION, e.getMessage(), e);
        }
    }

    /** A loader over {@code jars}, or the application's own when there are none. */
    static ClassLoader loader(List<Path> jars) throws RunException {
        ClassLoader parent = Plugins.class.getClassLoader();
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            if (!Files.isRegularFile(jar)) {
                throw new RunException(ExitCodes.USAGE, "--plugin " + jar + ": "
                        + (Files.exists(jar) ? "not a file" : "no such file"), null);
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new RunException(ExitCodes.USAGE, "--plugin " + jar + ": " + e.getMessage(), e);
            }
        }
        return new URLClassLoader("batchwise-plugins", urls, parent);
    }
}
