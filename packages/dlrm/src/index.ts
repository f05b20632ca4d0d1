export { parameter } from './parameter';
export type { Parameter } from './parameter';
