package dev.batchwise.cli;

import dev.batchwise.options.CommandErrors;
import dev.batchwise.options.OptionSections;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.terminal.Style;
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
        subcommands = {RunCommand.class, BenchCommand.class, ModelsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
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
        OptionSections.installAll(cl);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        LowerCaseEnums.register(cl);
        HelpFormat.install(cl);
        CommandErrors.install(cl, Style.of(io.env(), io.stderrIsTerminal())::error);
        appendExitCodes(cl);
        return cl;
    }

    /** Every command but help lists the exit codes it can return, in --help and in its man page ("Exit status"). */
    private static void appendExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.of(cl.getCommandName()));
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                appendExitCodes(sub);
            }
        }
    }

    /** Hands {@link Io} to the commands that need it. */
    private record Factory(Io io) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunCommand.class) {
                return cls.cast(new RunCommand(io));
            }
            if (cls == BenchCommand.class) {
                return cls.cast(new BenchCommand(io));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
