package dev.batchwise.cli;

import dev.batchwise.source.Input;
import dev.batchwise.stats.StatsReport;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What identifies a run in its stats JSON, so that two reports can be told apart and compared:
 * the tool and layout versions, the command line, the inputs and their sizes, when it started,
 * and the machine (cores, JVM).
 */
final class RunIdentity {

    private RunIdentity() {}

    /**
     * @param args the command line's arguments after {@code batchwise}
     * @param startedAt when the run command began
     */
    static Map<String, Object> of(List<String> args, List<Input> inputs, Instant startedAt) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("schema_version", StatsReport.SCHEMA_VERSION);
        id.put("tool", Map.of("name", "batchwise", "version", VersionProvider.version()));
        List<String> commandLine = new ArrayList<>();
        commandLine.add("batchwise");
        commandLine.addAll(args);
        id.put("command_line", commandLine);
        id.put("started_at", startedAt.toString());
        List<Map<String, Object>> in = new ArrayList<>();
        for (Input input : inputs) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", input.name());
            i.put("bytes", size(input));
            in.add(i);
        }
        id.put("inputs", in);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("version", System.getProperty("java.version"));
        jvm.put("vendor", System.getProperty("java.vendor"));
        jvm.put("vm", System.getProperty("java.vm.name"));
        jvm.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        host.put("jvm", jvm);
        id.put("host", host);
        return id;
    }

    /** The input's size in bytes as it lies on disk (compressed, for gzip), or null for a pipe or standard input. */
    private static Long size(Input input) {
        if (input.isStdin()) {
            return null;
        }
        try {
            return Files.isRegularFile(input.path()) ? Files.size(input.path()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
