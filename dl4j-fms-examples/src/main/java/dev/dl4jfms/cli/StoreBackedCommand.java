package dev.dl4jfms.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on the checkpoint store named by {@code -s/--store} ({@link StoreOptions}); subclasses
 * implement {@link #call()} and write their results to {@link #out()}.
 */
abstract class StoreBackedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    /** The command line's standard output. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command line's error output. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
