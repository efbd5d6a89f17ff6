import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A build step (run by the POM with Java's source launcher, at package): copies the runtime jars of
 * target/lib into target/dist-lib for the distribution, leaving out of each jar the native
 * libraries of every platform but linux-x86_64, the one the distribution is for (the PyTorch
 * native jar is linux-x86_64 only). ONNX Runtime's jar alone carries 131 MB for Windows and macOS
 * (debug symbols included) and Linux on ARM.
 *
 * <p>Engines find their natives as resources under a directory named for the platform
 * (ONNX Runtime: ai/onnxruntime/native/linux-x64/; DJL: native/lib/linux-x86_64/,
 * jnilib/linux-x86_64/; sqlite-jdbc: org/sqlite/native/Linux/x86_64/), so a jar without the other
 * platforms' directories loads as before on linux-x86_64. Every other entry is copied unchanged, in order. target/lib itself is left whole,
 * so a checkout's scripts/batchwise runs wherever the engines do.
 *
 * <p>Usage: {@code java SlimNatives.java FROM_DIR TO_DIR}; prints one line per jar it slimmed.
 */
public final class SlimNatives {

    /** A path segment that names a platform: os-arch, as ONNX Runtime and DJL name their directories. */
    private static final Pattern PLATFORM = Pattern.compile(
            "(linux|osx|macos|darwin|win|windows)-(x64|x86_64|amd64|aarch64|arm64|armv7|arm|x86|ppc64le|s390x)");
    private static final List<String> KEPT = List.of("linux-x64", "linux-x86_64", "linux-amd64");
    private static final String SQLITE_NATIVES = "org/sqlite/native/";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java SlimNatives.java FROM_DIR TO_DIR");
        }
        Path from = Path.of(args[0]);
        Path to = Path.of(args[1]);
        Files.createDirectories(to);
        try (var old = Files.list(to)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        List<Path> jars;
        try (var list = Files.list(from)) {
            jars = list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            Path target = to.resolve(jar.getFileName());
            long dropped = slim(jar, target);
            if (dropped < 0) {
                Files.copy(jar, target, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                System.out.printf("%s: %,d bytes of other platforms' native libraries left out (%,d -> %,d)%n",
                        jar.getFileName(), dropped, Files.size(jar), Files.size(target));
            }
        }
    }

    /** Whether an entry belongs to a platform other than linux-x86_64. */
    static boolean otherPlatform(String entry) {
        if (entry.startsWith(SQLITE_NATIVES)) {
            // sqlite-jdbc names its directories OS/arch: Linux/x86_64, Linux-Musl/x86_64, Mac/aarch64, ...
            String[] rest = entry.substring(SQLITE_NATIVES.length()).split("/");
            return !rest[0].isEmpty() && (!rest[0].equals("Linux") || (rest.length > 1 && !rest[1].equals("x86_64")));
        }
        for (String segment : entry.split("/")) {
            if (PLATFORM.matcher(segment).matches() && !KEPT.contains(segment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes {@code jar} without other platforms' entries to {@code target}; returns the bytes left
     * out, or -1 (writing nothing) when the jar has none.
     */
    private static long slim(Path jar, Path target) throws IOException {
        List<String> names = new ArrayList<>();
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
        }
        if (names.stream().noneMatch(SlimNatives::otherPlatform)) {
            return -1;
        }
        long dropped = 0;
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream in = Files.newInputStream(jar);
                ZipInputStream zin = new ZipInputStream(in);
                OutputStream out = Files.newOutputStream(partial);
                ZipOutputStream zout = new ZipOutputStream(out)) {
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                if (otherPlatform(e.getName())) {
                    dropped += Math.max(0, e.getSize());
                    continue;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                zout.putNextEntry(copy);
                zin.transferTo(zout);
                zout.closeEntry();
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        return dropped;
    }
}
