package dev.batchwise.cli;

import dev.batchwise.util.Text;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FunctionRegistry;
import dev.batchwise.model.BundledModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        footer = {"  batchwise models", "  batchwise models --plugin my-functions.jar"})
final class ModelsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--plugin", paramLabel = "JAR", description = "Also list the functions in this jar.")
    List<Path> plugins = new ArrayList<>();

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        FunctionRegistry registry = RunCommand.registry(plugins);
        out.println("Bundled models (--model NAME; or --model PATH for your own ONNX or TorchScript model):");
        for (BundledModel m : BundledModel.values()) {
            out.printf("  %-14s %s%n", m.id(), m.description());
        }
        out.println();
        out.println("Functions (--fn NAME):");
        for (BatchFunctionProvider p : registry.all()) {
            out.printf("  %-14s %s%n", Text.printable(p.name()), Text.printable(p.description()));
        }
        out.flush();
    }
}
