package dev.dl4jfms.cli;

import dev.dl4jfms.examples.ExampleData;
import dev.dl4jfms.examples.data.Cifar10Loader;
import dev.dl4jfms.examples.search.SearchSpaces;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fms demo mnist|cifar}: an FMS search with Arbiter on a small subset, then the report. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an FMS search with Arbiter on MNIST-format data or CIFAR-10 (small subsets: a few "
                + "minutes on 2 cores), capture every epoch's checkpoint into <out>/fms.db and write "
                + "<out>/report.html.",
                "",
                "Data: mnist reads MNIST-format IDX files from --data, else DL4J's MNIST cache "
                        + "(~/.deeplearning4j/data/MNIST), else Debian's Fashion-MNIST "
                        + "(/usr/share/datasets/fashion-mnist; apt-get install dataset-fashion-mnist). cifar reads "
                        + "CIFAR-10 from --data (binary data_batch_*.bin or DL4J's PNG layout), else DL4J's cache.",
                "",
                "Defaults: mnist: MLP space, 3000 train / 1000 validation images, budget 30 epochs, B_max 6, "
                        + "pool 40. cifar: CNN space, 1500 / 500 images, budget 12, B_max 3, pool 20. Both: "
                        + "--out fms-demo, seed 1, freeze-thaw policy with the deep-kernel GP + layer-statistics "
                        + "weight embedding (--forecaster gp-stats)."},
        footer = {"", "Example: fms demo mnist --out fms-demo --model cnn --budget 60 --max-epochs 10 --train 10000"})
final class DemoCommand implements Callable<Integer> {

    enum Dataset { mnist, cifar }

    enum Model { mlp, cnn }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "mnist|cifar", description = "Which example: ${COMPLETION-CANDIDATES}.")
    Dataset dataset;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    ReportFolderOption reportFolder;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    DataFolderOption data;

    @Option(names = "--model", paramLabel = "mlp|cnn",
            description = "Search space: mlp (MNIST default) or cnn (a small CNN; CIFAR default).")
    Model model;

    @Mixin
    SearchOptions options;

    @Override
    public Integer call() {
        boolean mnist = dataset == Dataset.mnist;
        Model m = model != null ? model : mnist ? Model.mlp : Model.cnn;
        SearchSession.Defaults defaults = mnist ? SearchSession.Defaults.MNIST : SearchSession.Defaults.CIFAR;
        String study = dataset.name() + "-" + m.name();
        Path folder = DataFolderOption.existing(data);
        if (!mnist && folder == null) {
            folder = Cifar10Loader.dl4jCacheFolder();
        }
        Path dataFolder = folder;
        Path outFolder = ReportFolderOption.orElse(reportFolder, "fms-demo");
        return SearchSession.run(SearchSession.CommandSpecOutput.of(spec), options, defaults,
                outFolder.resolve("fms.db"), study,
                s -> mnist ? ExampleData.mnist(dataFolder, s.train(), s.val(), s.batch(), s.seed())
                        : ExampleData.cifar10(dataFolder, s.train(), s.val(), s.batch(), s.seed()),
                d -> space(m, d), outFolder);
    }

    static ParameterSpace<?> space(Model m, ExampleData d) {
        long networkSeed = 12345L;
        return m == Model.mlp ? SearchSpaces.mlp((int) d.flatInput().arrayElementsPerExample(), d.numClasses(),
                networkSeed) : SearchSpaces.smallCnn(d.imageInput(), d.numClasses(), networkSeed);
    }

    @Override
    public String toString() {
        return "demo " + dataset.name().toLowerCase(Locale.ROOT);
    }
}
