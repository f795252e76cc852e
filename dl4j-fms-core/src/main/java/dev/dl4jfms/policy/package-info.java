/**
 * Search strategies behind one {@link dev.dl4jfms.study.Policy} interface: random search, top-K after one epoch,
 * successive halving, Hyperband, ASHA (all η = 3 by default) and freeze-thaw BO
 * ({@link dev.dl4jfms.policy.FreezeThawPolicy}; FMS and DyHPO differ only in the
 * {@link dev.dl4jfms.forecast.Forecaster}). Policies decide; the {@link dev.dl4jfms.study.Study} keeps the books.
 */
package dev.dl4jfms.policy;
