package dev.batchwise.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The class loader for {@code --plugin} jars. */
final class Plugins {

    private Plugins() {}

    /** A loader over {@code jars}, or the application's own when there are none. */
    static ClassLoader loader(List<Path> jars) {
        ClassLoader parent = Plugins.class.getClassLoader();
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            if (!Files.isRegularFile(jar)) {
                throw new UserException(ExitCodes.USAGE, "--plugin " + jar + ": "
                        + (Files.exists(jar) ? "not a file" : "no such file"));
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UserException(ExitCodes.USAGE, "--plugin " + jar + ": " + e.getMessage(), e);
            }
        }
        return new URLClassLoader("batchwise-plugins", urls, parent);
    }
}
