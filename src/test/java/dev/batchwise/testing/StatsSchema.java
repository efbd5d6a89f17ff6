package dev.batchwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON Schema of the stats report, as the project ships it, for checking real reports against. */
public final class StatsSchema {

    private static final Schema SCHEMA = load();

    private StatsSchema() {}

    private static Schema load() {
        try (InputStream in = StatsSchema.class.getResourceAsStream("/dev/batchwise/stats.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What in {@code stats} the schema does not allow; empty when it fits. */
    public static List<String> errors(JsonNode stats) {
        return SCHEMA.validate(stats).stream().map(Error::toString).toList();
    }
}
