package dev.dl4jfms.examples.data;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * CIFAR-10 examples ready for a DL4J network: features {@code [n, 3, 32, 32]} (NCHW, RGB, scaled to [0, 1]),
 * one-hot labels {@code [n, 10]}. {@code validation} is drawn from the training files and is disjoint from
 * {@code train}; {@code test} comes from the test files. A part with no examples is null.
 *
 * @param train      training examples
 * @param validation validation examples (disjoint from {@code train}), or null
 * @param test       test examples, or null
 * @param labelNames class names in label-index order
 * @param format     the layout the data was read from
 */
public record Cifar10Data(DataSet train, DataSet validation, DataSet test, List<String> labelNames,
                          Cifar10Format format) {
    public Cifar10Data {
        labelNames = List.copyOf(labelNames);
    }
}
