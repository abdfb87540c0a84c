export { assertCsr, type Csr } from './csr.ts';
export { fromCoo } from './from-coo.ts';
export { normalizeRows, type RowNorm, rowNorms } from './normalize-rows.ts';
export { selectTopKAmong } from './select-top-k.ts';
export { SparseScores } from './sparse-scores.ts';
export { type TopKProductOptions, topKProduct } from './top-k-product.ts';
export { transpose } from './transpose.ts';
