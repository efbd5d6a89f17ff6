package dev.batchwise.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version}: the version from the build, the Java runtime, and the model runtime (DJL and its
 * engines) found on the class path.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/batchwise/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("batchwise " + version());
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        lines.addAll(RuntimeVersions.lines(VersionProvider.class.getClassLoader()));
        return lines.toArray(String[]::new);
    }
}
