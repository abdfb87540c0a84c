type NumberArray = Int32Array | Float64Array;

/** A copy of `array` with at least `minLength` (default: twice its length) elements. */
export function grown<T extends NumberArray>(array: T, minLength = array.length * 2): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(minLength, array.length * 2));
  bigger.set(array);
  return bigger;
}
