package dev.dl4jfms.it;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No package of dl4j-fms depends on itself through others: every package is its own slice (e.g. {@code study},
 * {@code policy}, {@code examples.bench}, {@code examples.report}), over the main classes of all modules.
 */
class PackageCyclesTest {

    @Test
    void noPackageCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.dl4jfms");
        // all four modules' main classes are imported (not an empty, trivially acyclic set)
        org.junit.jupiter.api.Assertions.assertTrue(classes.containPackage("dev.dl4jfms.study")
                && classes.containPackage("dev.dl4jfms.examples.report") && classes.size() > 100, "" + classes.size());
        slices().matching("dev.dl4jfms.(**)").should().beFreeOfCycles().check(classes);
    }
}
