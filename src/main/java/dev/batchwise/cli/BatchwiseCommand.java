package dev.batchwise.cli;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Style;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: {@code batchwise <subcommand>}. */
@Command(
        name = "batchwise",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Batch model inference from the command line: records in, through the queue and dynamic "
                    + "batcher an inference server would use, outputs out in input order, with timing stats.",
        },
        subcommands = {RunCommand.class, ModelsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  batchwise run samples/sentences.txt            # embed each line with the bundled model",
            "  batchwise run --fn trim-words samples/words.csv",
            "  batchwise models",
            "",
            "Run 'batchwise run --help' for the options of a run.",
        })
public final class BatchwiseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: run, models, completion or help");
    }

    /** The configured command line, for {@link Main} and for tests that call {@code execute}. */
    public static CommandLine commandLine(Io io) {
        CommandLine cl = new CommandLine(new BatchwiseCommand(), new Factory(io));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Style style = Style.of(io.env(), io.stderrIsTerminal());
        cl.setExecutionExceptionHandler((e, c, parsed) -> onExecutionException(e, c, parsed, style));
        cl.setParameterExceptionHandler((e, args) -> onParameterException(e, style));
        appendExitCodes(cl);
        return cl;
    }

    /** Every command but help lists the exit codes, in --help and in its man page ("Exit status"). */
    private static void appendExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                appendExitCodes(sub);
            }
        }
    }

    private static int onParameterException(CommandLine.ParameterException e, Style style) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandName().equals("batchwise") ? "batchwise: " + style.error(e.getMessage())
                : "batchwise " + cl.getCommandName() + ": " + style.error(e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try 'batchwise " + (cl.getCommandName().equals("batchwise") ? "" : cl.getCommandName() + " ")
                + "--help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int onExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed, Style style) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose") || (parsed.subcommand() != null
                && parsed.subcommand().hasMatchedOption("--verbose"));
        if (e instanceof UserException u) {
            err.println("batchwise: " + style.error(u.getMessage()));
            if (verbose && u.getCause() != null) {
                u.getCause().printStackTrace(err);
            }
            err.flush();
            return u.exitCode();
        }
        err.println("batchwise: " + style.error("internal error: " + e));
        if (verbose) {
            e.printStackTrace(err);
        } else {
            err.println("Run again with --verbose to see where, and please report it.");
        }
        err.flush();
        return ExitCodes.SOFTWARE;
    }

    /** Hands {@link Io} to the commands that need it. */
    private record Factory(Io io) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunCommand.class) {
                return cls.cast(new RunCommand(io));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
