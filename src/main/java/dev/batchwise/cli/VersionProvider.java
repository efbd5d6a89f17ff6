package dev.batchwise.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code --version}: the version from the build, the Java runtime, and the model runtime (DJL and its
 * engines) found on the class path.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    static String version() {
        return dev.batchwise.run.RunIdentity.version();
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
