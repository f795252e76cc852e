/** Small ND4J utilities shared by the math packages (workspace scopes for hot loops). */
package dev.dl4jfms.nd;
