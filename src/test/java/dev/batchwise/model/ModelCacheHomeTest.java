package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One rule for the home directory, the launcher's too: $HOME when set and not empty, else the password database's. */
class ModelCacheHomeTest {

    @Test
    void homeComesFromTheEnvironmentFirst() {
        assertEquals(Path.of("/h/.cache/batchwise"), ModelCache.defaultRoot(Map.of("HOME", "/h")));
        assertEquals(Path.of("/x/batchwise"), ModelCache.defaultRoot(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/b"), ModelCache.defaultRoot(Map.of("HOME", "/h", "BATCHWISE_CACHE_DIR", "/b")));
    }

    @Test
    void withoutHomeThePasswordDatabasesEntry() {
        String passwd = System.getProperty("user.home");
        assertEquals(Path.of(passwd, ".cache", "batchwise"), ModelCache.defaultRoot(Map.of()));
        assertEquals(Path.of(passwd, ".cache", "batchwise"), ModelCache.defaultRoot(Map.of("HOME", "")));
    }
}
