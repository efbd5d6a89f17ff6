package dev.batchwise;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers, with imports pointing downward only: the stages (source, arrival, batching, fn and
 * model, generate, image, openai, cache, sink, stats, and the small shared types of result, time and util) know neither one another's
 * callers nor the pipeline that wires them; the pipeline knows no run; the output files know no run;
 * the run layer knows no front end; the parts the front ends share (the option declarations, the
 * terminal) know no front end (cli, bench, spark); and no packages form a cycle.
 */
class LayersTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.batchwise");
    }

    private static final String[] STAGES = {
        "dev.batchwise.openai..",
        "dev.batchwise.source..", "dev.batchwise.arrival..", "dev.batchwise.batching..", "dev.batchwise.fn..",
        "dev.batchwise.model..", "dev.batchwise.sink..", "dev.batchwise.stats..", "dev.batchwise.time..",
        "dev.batchwise.util..", "dev.batchwise.result..", "dev.batchwise.generate..", "dev.batchwise.image..",
        "dev.batchwise.cache.."
    };
    private static final String[] FRONT_ENDS = {"dev.batchwise.cli..", "dev.batchwise.bench..", "dev.batchwise.spark.."};
    /** What the front ends share: the option declarations, and the terminal the command line draws on. */
    private static final String[] SHARED_BY_FRONT_ENDS = {"dev.batchwise.options..", "dev.batchwise.terminal.."};

    @Test
    void stagesKnowNothingAboveThem() {
        noClasses().that().resideInAnyPackage(STAGES)
                .should().dependOnClassesThat().resideInAnyPackage(concat(concat(FRONT_ENDS, SHARED_BY_FRONT_ENDS),
                        "dev.batchwise.pipeline..", "dev.batchwise.output..", "dev.batchwise.run.."))
                .check(main);
    }

    /**
     * The OpenAI batch format (request lines, answer lines, chat templates) is a stage: it reads records
     * and shapes results, and knows neither the model runtimes' callers nor any layer above.
     */
    @Test
    void theOpenAiFormatKnowsOnlyTheStagesItShapes() {
        noClasses().that().resideInAPackage("dev.batchwise.openai..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.batchwise.arrival..", "dev.batchwise.batching..",
                        "dev.batchwise.sink..", "dev.batchwise.stats..", "dev.batchwise.pipeline..", "dev.batchwise.run..",
                        "dev.batchwise.cli..", "dev.batchwise.bench..", "dev.batchwise.spark..")
                .check(main);
    }

    @Test
    void thePipelineKnowsNoRunNorFrontEnd() {
        noClasses().that().resideInAPackage("dev.batchwise.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(concat(FRONT_ENDS, SHARED_BY_FRONT_ENDS),
                        "dev.batchwise.output..", "dev.batchwise.run.."))
                .check(main);
    }

    @Test
    void theOutputFilesKnowNoRunNorFrontEnd() {
        noClasses().that().resideInAPackage("dev.batchwise.output..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(concat(FRONT_ENDS, SHARED_BY_FRONT_ENDS),
                        "dev.batchwise.run.."))
                .check(main);
    }

    @Test
    void theRunLayerKnowsNoFrontEnd() {
        noClasses().that().resideInAPackage("dev.batchwise.run..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(FRONT_ENDS, SHARED_BY_FRONT_ENDS))
                .allowEmptyShould(true)
                .check(main);
    }

    @Test
    void whatTheFrontEndsShareKnowsNoFrontEnd() {
        noClasses().that().resideInAnyPackage(SHARED_BY_FRONT_ENDS)
                .should().dependOnClassesThat().resideInAnyPackage(FRONT_ENDS)
                .check(main);
    }

    @Test
    void noPackagesFormACycle() {
        slices().matching("dev.batchwise.(**)").should().beFreeOfCycles().check(main);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
