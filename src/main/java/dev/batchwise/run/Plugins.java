package dev.batchwise.run;

import dev.batchwise.fn.FunctionRegistry;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarFile;
import java.io.IOException;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.util.Errors;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.util.List;

/** The functions of batchwise and of {@code --plugin} jars, and what is said about a plugin that misbehaves. */
public final class Plugins {

    /** The name of the loader of plugin classes, for telling them apart in a stack trace. */
    public static final String LOADER_NAME = "batchwise-plugins";
    public static final String SERVICE = "META-INF/services/" + BatchFunctionProvider.class.getName();

    /** The plugin loader made last, for {@link #jarOf}; {@code null} before. */
    private static volatile URLClassLoader lastLoader;

    private Plugins() {}

    /**
     * The built-in functions and those of {@code jars}.
     *
     * @throws SettingException for a jar that is not a file, not a jar or lists no provider
     * @throws FunctionStartException when the jars' providers clash or cannot be loaded
     */
    public static FunctionRegistry registry(List<Path> jars) throws FunctionStartException {
        ClassLoader loader = loader(jars);
        try {
            return FunctionRegistry.load(loader);
        } catch (IllegalStateException e) {
            throw new FunctionStartException(e.getMessage(), e);
        }
    }

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
                throw badJar(jar, Files.exists(jar) ? "not a file" : "no such file");
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getEntry(SERVICE) == null) {
                    throw badJar(jar, "provides no function: a plugin jar lists its BatchFunctionProvider classes in "
                            + SERVICE);
                }
            } catch (IOException e) {
                throw badJar(jar, "not a jar file (" + Errors.describe(e) + ")");
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw badJar(jar, e.getMessage());
            }
        }
        URLClassLoader loader = new URLClassLoader(LOADER_NAME, urls, parent);
        lastLoader = loader;
        return loader;
    }

    private static SettingException badJar(Path jar, String why) {
        return new SettingException("plugin", Phrase.of("{plugin} %s: %s", jar, why), false);
    }

    /** The path of the plugin jar that holds class {@code className}, or {@code null}. */
    public static String jarOf(String className) {
        URLClassLoader loader = lastLoader;
        URL url = loader == null ? null : loader.findResource(className.replace('.', '/') + ".class");
        if (url == null) {
            return null;
        }
        String u = url.toString();
        int bang = u.indexOf("!/");
        return u.startsWith("jar:file:") && bang > 0 ? u.substring("jar:file:".length(), bang) : u;
    }

    /**
     * What is wrong with a factory a provider's {@code configure} returned, or {@code null}: a null
     * factory, name or signature, or one of them throwing.
     */
    static String checkFactory(BatchFunctionFactory factory) {
        if (factory == null) {
            return "configure() returned null instead of a factory";
        }
        try {
            if (factory.name() == null) {
                return "factory's name() returned null";
            }
            if (factory.signature() == null) {
                return "factory's signature() returned null";
            }
        } catch (Throwable e) {
            return "factory failed to say its name or signature: " + describe(e);
        }
        return null;
    }

    /** A throwable's class and message, without the stack trace users need not see. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /** Where a provider's class comes from, as ", in plugin JAR", or "" for a built-in one. */
    static String origin(Object provider) {
        Class<?> c = provider.getClass();
        if (c.getClassLoader() == null || !LOADER_NAME.equals(c.getClassLoader().getName())) {
            return "";
        }
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? ", in a plugin jar"
                : ", in plugin " + source.getLocation().getPath();
    }
}
