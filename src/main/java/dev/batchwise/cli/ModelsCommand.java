package dev.batchwise.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.util.Text;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.Signature;
import dev.batchwise.fn.FunctionRegistry;
import dev.batchwise.model.BundledModel;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Plugins;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code batchwise models}: what {@code --fn} can name. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List the bundled models and the batch functions (the built-ins and those of --plugin jars).",
        footerHeading = "%nExamples:%n",
        footer = {"  batchwise models", "  batchwise models --plugin my-functions.jar",
            "  batchwise models --json | jq -r '.functions[].name'"})
final class ModelsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--plugin", paramLabel = "JAR", description = "Also list the functions in this jar.")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--json", description = "Print the list as one JSON object: {\"models\": [...], \"functions\": "
            + "[...]}, each with its name and description (a model with its kind, text or image); a function with its "
            + "inputs (name, type) and outputs.")
    boolean json;

    @Override
    public Integer call() throws FunctionStartException {
        PrintWriter out = spec.commandLine().getOut();
        FunctionRegistry registry = Plugins.registry(plugins);
        if (json) {
            out.println(json(registry));
            out.flush();
            return ExitCodes.OK;
        }
        // one column for every description, as wide as the longest name of either list
        int width = 14;
        for (BundledModel m : BundledModel.values()) {
            width = Math.max(width, m.id().length());
        }
        for (BatchFunctionProvider p : registry.all()) {
            width = Math.max(width, Text.printable(p.name()).length());
        }
        String row = "  %-" + width + "s %s%n";
        out.println("Bundled models (--model NAME; or --model PATH for your own ONNX or TorchScript model), each "
                + "for text or for images:");
        for (BundledModel m : BundledModel.values()) {
            out.printf("  %-" + width + "s %-5s %s%n", m.id(), kind(m), m.description());
        }
        out.println();
        out.println("Functions (--fn NAME):");
        for (BatchFunctionProvider p : registry.all()) {
            out.printf(row, Text.printable(p.name()), Text.printable(p.description()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** What the model takes: {@code text} or {@code image}. */
    private static String kind(BundledModel m) {
        return m.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The list for programs; a function whose inputs cannot be known without settings has none listed. */
    private static String json(FunctionRegistry registry) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode models = root.putArray("models");
        for (BundledModel m : BundledModel.values()) {
            models.addObject().put("name", m.id()).put("kind", kind(m)).put("description", m.description())
                    .put("default", m == BundledModel.MINILM);
        }
        ArrayNode functions = root.putArray("functions");
        for (BatchFunctionProvider p : registry.all()) {
            ObjectNode f = functions.addObject().put("name", p.name()).put("description", p.description());
            Signature signature = null;
            try {
                BatchFunctionFactory factory = p.configure(FnArgs.none(p.name()));
                signature = factory.signature();
                if (factory instanceof AutoCloseable c) {
                    c.close();
                }
            } catch (Exception | LinkageError e) {
                // it needs settings (--fn-arg) to say; list it without its signature
            }
            if (signature != null) {
                ArrayNode inputs = f.putArray("inputs");
                for (Param in : signature.inputs()) {
                    inputs.addObject().put("name", in.name()).put("type", in.type().label());
                }
                ArrayNode outputs = f.putArray("outputs");
                signature.outputs().forEach(outputs::add);
            }
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
