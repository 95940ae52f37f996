/** The Yellowstone gRPC live source (see source.ts) and its conversion to the decoder's shape. */
export { createGrpcSource, type GrpcSourceOptions } from './source.js';
export { toRawTransaction, GrpcConversionError } from './convert.js';
