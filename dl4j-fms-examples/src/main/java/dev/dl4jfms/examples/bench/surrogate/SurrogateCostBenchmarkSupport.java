package dev.dl4jfms.examples.bench.surrogate;

/** Process CPU time for the benchmarks (all threads, native ones included): robust on a shared machine. */
final class SurrogateCostBenchmarkSupport {
    private SurrogateCostBenchmarkSupport() {
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
