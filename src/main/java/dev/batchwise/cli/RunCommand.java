package dev.batchwise.cli;

import dev.batchwise.options.OptionNames;
import dev.batchwise.options.OptionSections;
import dev.batchwise.options.RunOptions;
import dev.batchwise.output.RunOutput;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.RunIdentity;
import dev.batchwise.run.RunSession;
import dev.batchwise.run.RunSpec;
import dev.batchwise.source.Input;
import dev.batchwise.terminal.Style;
import dev.batchwise.terminal.TerminalConsole;
import dev.batchwise.util.Phrase;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code batchwise run}: run's options ({@link RunOptions}, declared once and shared with the other
 * front ends) to a {@link RunSpec}; a {@link RunSession} runs it on the terminal; its exit status is
 * the command's. A failure, a mistake in the options among them, ends the command through the one
 * mapping of failures to exit codes ({@link dev.batchwise.options.CommandErrors}).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Run records through a model (the bundled all-MiniLM-L6-v2 unless told otherwise) or a batch function, "
                    + "the way an inference server's queue and dynamic batcher would, and write one output line per "
                    + "record, in input order. Timing stats go to standard error.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  batchwise run samples/sentences.txt",
            "  batchwise run --input text=review --id id -o vectors.jsonl samples/reviews.csv",
            "  batchwise run --model ./my-model/ --task classify --id ticket samples/tickets.jsonl",
            "  batchwise run --fn trim-words --fn-arg delay=5s --concurrency 16 samples/words.csv",
            "  cat samples/words.jsonl | batchwise run --fn trim-words --workers 2 -o out.jsonl",
            "  batchwise run --rate 50 --arrival poisson --max-delay 20ms --stats-json stats.json "
                    + "samples/sentences.txt",
        })
final class RunCommand implements Callable<Integer>, OptionSections.Sectioned {

    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Inputs, read in turn: .csv, .tsv, .jsonl, .txt (optionally .gz). '-' or none: standard input.")
    List<Path> files = new ArrayList<>();

    private final OptionSections options = RunOptions.sections();

    RunCommand(Io io) {
        this.io = io;
    }

    @Override
    public OptionSections options() {
        return options;
    }

    @Override
    public Integer call() throws Exception {
        Instant startedAt = Instant.now();
        RunSpec run = runSpec();
        // the progress line would be drawn among the data lines on a terminal both go to
        boolean progressAllowed = !(io.stdoutSharesTerminal() && run.output().file() == null);
        TerminalConsole console = new TerminalConsole(spec.commandLine().getErr(),
                Style.of(io.env(), io.stderrIsTerminal()), run.messages().quiet(), io.env(), new OptionNames(spec),
                progressAllowed);
        for (String w : IgnoredOptions.of(spec.commandLine().getParseResult(), IgnoredOptions.Mode.of(run))) {
            console.warning(w);
        }
        Path out = run.output().file();
        if (run.output().resume() && out != null && Files.isRegularFile(out)
                && !Files.exists(RunOutput.partialOf(out), LinkOption.NOFOLLOW_LINKS)) {
            // an earlier run finished this output (FILE.partial is renamed to FILE only then)
            console.note(Phrase.of("%s is complete: the run that wrote it finished, so there is nothing to resume "
                    + "(run without {resume} to run it again)", out));
            return ExitCodes.OK;
        }
        if (io.stdinIsTerminal() && run.input().inputs().stream().anyMatch(Input::isStdin)) {
            console.note(Phrase.text("reading records from the terminal: type them, one per line, then Ctrl-D to "
                    + "end (or name an input FILE)"));
        }
        return new RunSession(run, io.stdin(), io.stdout(), io.env(), console, io.clock(), io.signals())
                .withIdentity(RunIdentity.of(commandLine(), RunIdentity.sizes(run.input().inputs()), startedAt))
                .run().exitCode();
    }

    /** {@code batchwise run ...}, as typed. */
    private List<String> commandLine() {
        List<String> line = new ArrayList<>(List.of("batchwise"));
        line.addAll(spec.commandLine().getParseResult().originalArgs());
        return line;
    }

    /**
     * The options, through run's spec builder, which checks them; a mistake ends the command as a
     * usage error.
     */
    RunSpec runSpec() {
        List<String> names = files.stream().map(Path::toString).toList();
        CommandLineHints.checkSpacedUnits(spec.commandLine(), names);
        RunSpec.Builder builder = RunSpec.builder();
        builder.input.files = names;
        options.applyTo(builder);
        return builder.build();
    }
}
