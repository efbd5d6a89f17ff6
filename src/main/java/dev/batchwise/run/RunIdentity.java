package dev.batchwise.run;

import dev.batchwise.source.Input;
import dev.batchwise.stats.StatsReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What identifies a run in its stats JSON, so that two reports can be told apart and compared: the
 * tool and layout versions, the command line, the inputs and their sizes, when it started, and the
 * machine (cores, JVM). The same for the command line and the Spark job.
 */
public final class RunIdentity {

    private RunIdentity() {}

    /** An input as the report lists it: its name as given, its size on disk, or {@code null} where unknown. */
    public record InputSize(String name, Long bytes) {}

    /**
     * @param commandLine the command as typed: its name ({@code batchwise}), then every argument
     * @param startedAt when the command began
     */
    public static Map<String, Object> of(List<String> commandLine, List<InputSize> inputs, Instant startedAt) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("schema_version", StatsReport.SCHEMA_VERSION);
        id.put("tool", Map.of("name", "batchwise", "version", version()));
        id.put("command_line", List.copyOf(commandLine));
        id.put("started_at", startedAt.toString());
        List<Map<String, Object>> in = new ArrayList<>();
        for (InputSize input : inputs) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", input.name());
            i.put("bytes", input.bytes());
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

    /** Local inputs with their sizes as they lie on disk (compressed, for gzip); none for a pipe or standard input. */
    public static List<InputSize> sizes(List<Input> inputs) {
        List<InputSize> out = new ArrayList<>();
        for (Input input : inputs) {
            Long bytes = null;
            try {
                bytes = !input.isStdin() && Files.isRegularFile(input.path()) ? Files.size(input.path()) : null;
            } catch (IOException e) {
                // unknown
            }
            out.add(new InputSize(input.name(), bytes));
        }
        return out;
    }

    /** The version of this build. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = RunIdentity.class.getResourceAsStream("/dev/batchwise/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
