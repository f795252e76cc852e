package dev.dl4jfms.examples.data;

/** No CIFAR-10 data where it was looked for; the message says where it looked and how to get the data. */
public class Cifar10DataNotFoundException extends RuntimeException {
    public Cifar10DataNotFoundException(String message) {
        super(message);
    }
}
