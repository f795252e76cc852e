package dev.dl4jfms.graph;

/** What the weight embedders know about a layer's parameters. */
public enum LayerKind {
    /** Dense / output layer: W [nIn, nOut], b [1, nOut]. */
    DENSE,
    /** 1D convolution: W [nOut, nIn, k] (or DL4J's 4D layout for Convolution1DLayer), b [1, nOut]. */
    CONV1D,
    /** 2D convolution: W [nOut, nIn, kH, kW], b [1, nOut]. */
    CONV2D,
    /** Batch normalisation: gamma, beta (+ running mean/var, which are state, not weights). */
    BATCH_NORM,
    /** A layer without parameters (activation, pooling, dropout, flatten, global pooling). */
    PARAMETER_FREE,
    /** A layer with parameters the graph builder does not understand; embedders fall back to statistics. */
    UNKNOWN
}
