/**
 * The slice of jStat (https://github.com/jstat/jstat, MIT) that nsm-nightly uses. The package
 * ships no types and there is no @types/jstat; declare only what is called, so a call outside
 * this list is a type error instead of an untyped `any`.
 */
declare module 'jstat' {
  interface JStatNormal {
    /** Quantile (inverse CDF) of N(mean, std²) at probability `p`. */
    inv(p: number, mean: number, std: number): number;
  }
  interface JStatStatic {
    readonly normal: JStatNormal;
  }
  const jStat: JStatStatic;
  export default jStat;
}
